// The order of the tests that run against the lab (part 2 of `npm test`, one file at a time).
// They share one running stack, so the order matters: the ones that only look go first, the
// ones that break something later, and the alert end-to-end test last, because it takes the api
// away for minutes and needs a notification group that no earlier outage left open. Every other
// run (part 1, a single file) keeps jest's own order.
const Sequencer = require('@jest/test-sequencer').default;

const LAB_ORDER = [
  'infra/lab/src/test-order.test.ts',
  'infra/lab/src/engine-dns.test.ts',
  'infra/lab/src/monitoring-config.test.ts',
  'app/web/e2e/support/config.test.ts',
  'infra/lab/src/lab.test.ts',
  'app/web/e2e/storefront.test.ts',
  'app/web/e2e/ops.test.ts',
  'infra/lab/src/monitoring.test.ts',
  'tools/swarm-exporter/lab/replicas.lab.test.ts',
  'infra/lab/src/db-failover.test.ts',
  'infra/lab/src/cache-failover.test.ts',
  'infra/lab/src/jobs.test.ts',
  // a lab test not listed here runs just before the last one
  'infra/lab/src/monitoring-alerts.test.ts',
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
