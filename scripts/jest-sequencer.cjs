// The order of the tests that run against the lab (part 2 of `npm test`, one file at a time).
// They share one running stack, so the order matters: the ones that only look go first, the
// ones that break something later, and the alert end-to-end test last, because it takes the api
// away for minutes and needs a notification group that no earlier outage left open. Every other
// run (part 1, a single file) keeps jest's own order.
const Sequencer = require('@jest/test-sequencer').default;

const LAB_ORDER = [
  'infra/lab/src/engine-dns.lab.test.ts',
  'infra/lab/src/monitoring-config.lab.test.ts',
  'app/web/e2e/support/config.test.ts',
  'infra/lab/src/lab.lab.test.ts',
  'infra/lab/src/edge-cache.lab.test.ts',
  'infra/lab/src/ops-auth.lab.test.ts',
  'app/web/e2e/storefront.test.ts',
  'app/web/e2e/ops.test.ts',
  'infra/lab/src/monitoring.lab.test.ts',
  'tools/swarm-exporter/lab/replicas.lab.test.ts',
  'chaos/src/load-smoke.lab.test.ts',
  'tools/logs/src/logs.lab.test.ts',
  'chaos/src/scenarios.lab.test.ts',
  'chaos/src/gameday-safety.lab.test.ts',
  'chaos/src/gameday.lab.test.ts',
  'backup/src/drill.lab.test.ts',
  'tools/release/src/release.lab.test.ts',
  'infra/lab/src/jobs.lab.test.ts',
  // a lab test not listed here runs just before the last one
  'infra/lab/src/monitoring-alerts.lab.test.ts',
];

function labRank(testPath) {
  const p = testPath.split('\\').join('/');
  const i = LAB_ORDER.findIndex((f) => p.endsWith(`/${f}`));
  return i === -1 ? null : i;
}

class LabOrderSequencer extends Sequencer {
  sort(tests) {
    const ranked = tests.map((t) => ({ t, r: labRank(t.path) }));
    if (!ranked.some((x) => x.r !== null)) return super.sort(tests);
    const last = LAB_ORDER.length - 1;
    const rank = (x) => (x.r === null ? last - 0.5 : x.r);
    return ranked.sort((a, b) => rank(a) - rank(b)).map((x) => x.t);
  }
}

module.exports = LabOrderSequencer;
module.exports.LAB_ORDER = LAB_ORDER;
