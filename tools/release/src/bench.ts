/**
 * `npm run bench:release`: the release's speed and safety measured in one run on the running lab,
 * side by side: a good release (promoted) and the drill (a derived api image that fails a share
 * of checkouts with 5xx while passing every health check), each a real release under load.
 * Writes bench/results/release.json with the command that produced it, and prints a table.
 * A benchmark reports; the goals are compared, not asserted (release.lab.test.ts asserts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { REPO_ROOT } from '@dhakacart/lab-client';
import { release, type ReleaseResult } from './release';

const HELP = `Usage: npm run bench:release -- [options]

Runs two real releases on the running lab (npm run lab first), one after the other, under load:
a good release, then the drill (--inject-fault checkout-5xx:<P>). Reports commit→live, decided,
failed requests and the rollback, beside the goals (live ≤ 120 s with 0 failed; decided ≤ 300 s;
the drill rolled back with ≤ 1% of the window's requests failed).

Options:
  --window S     the observation window of each release (default 60, 30..900)
  --visitors N   the load during each release (default 120, 10..5000)
  --percent P    the drill's share of failed checkouts (default 30, 1..100)
  --json         print the results as JSON
  -h, --help     this help

Writes bench/results/release.json. Exit 0 when both releases ran (whatever they decided),
2 on bad flags or when a release was refused or aborted.
`;

const GOALS = { commitToLiveSeconds: 120, decidedSeconds: 300, drillFailedShare: 0.01 };

function summary(r: ReleaseResult) {
  return {
    outcome: r.outcome,
    reason: r.reason,
    version: r.version,
    commitToLiveSeconds: r.commitToLiveSeconds,
    decidedSeconds: r.decidedSeconds,
    rolledBack: r.rolledBack,
    failedRequests: r.failedRequests,
    totalRequests: r.totalRequests,
    failedShare: r.totalRequests ? +(r.failedRequests / r.totalRequests).toFixed(5) : null,
    gate: r.gate,
    timeline: r.timeline,
  };
}

function int(v: string | undefined, dflt: number, lo: number, hi: number, name: string): number {
  const n = v === undefined ? dflt : wholeNumberOf(v);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new Error(`--${name} must be a whole number from ${lo} to ${hi}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let windowSeconds: number, visitors: number, percent: number, json: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        window: { type: 'string' },
        visitors: { type: 'string' },
        percent: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    windowSeconds = int(values.window, 60, 30, 900, 'window');
    visitors = int(values.visitors, 120, 10, 5000, 'visitors');
    percent = int(values.percent, 30, 1, 100, 'percent');
    json = !!values.json;
  } catch (e) {
    process.stderr.write(`bench:release: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());

  say(`==> [1/2] a good release, window ${windowSeconds} s, ${visitors} visitors`);
  const good = await release({ windowSeconds, visitors, say, signal: ac.signal });
  if (good.outcome === 'refused' || good.outcome === 'aborted') {
    say(`bench:release: the good release was ${good.outcome}: ${good.reason}`);
    return 2;
  }
  say(`==> [2/2] the drill: checkout-5xx:${percent}`);
  const drill = await release({
    windowSeconds,
    visitors,
    injectCheckout5xxPercent: percent,
    say,
    signal: ac.signal,
  });
  if (drill.outcome === 'refused' || drill.outcome === 'aborted') {
    say(`bench:release: the drill was ${drill.outcome}: ${drill.reason}`);
    return 2;
  }
  const g = summary(good);
  const d = summary(drill);
  const goals = {
    ...GOALS,
    goodLiveWithinGoal:
      g.commitToLiveSeconds !== null && g.commitToLiveSeconds <= GOALS.commitToLiveSeconds,
    goodNoFailedRequests: g.failedRequests === 0,
    goodDecidedWithinGoal:
      g.decidedSeconds !== null &&
      g.decidedSeconds <= GOALS.decidedSeconds &&
      g.outcome === 'promoted',
    drillRolledBack: d.outcome === 'rolled-back' && d.rolledBack,
    drillDecidedWithinGoal: d.decidedSeconds !== null && d.decidedSeconds <= GOALS.decidedSeconds,
    drillFailedShareWithinGoal: d.failedShare !== null && d.failedShare <= GOALS.drillFailedShare,
  };
  const report = {
    command: `npm run bench:release -- ${argv.join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    settings: { windowSeconds, visitors, drillCheckout5xxPercent: percent },
    figures: { good: g, drill: d },
    goals,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'release.json'), JSON.stringify(report, null, 2) + '\n');
  const row = (name: string, r: ReturnType<typeof summary>) =>
    `${name.padEnd(16)}${String(r.outcome).padEnd(13)}${String(r.commitToLiveSeconds ?? '—').padStart(8)} s${String(r.decidedSeconds ?? '—').padStart(9)} s${`${r.failedRequests}/${r.totalRequests}`.padStart(14)}`;
  process.stdout.write(
    json
      ? JSON.stringify(report, null, 2) + '\n'
      : [
          `${'release'.padEnd(16)}${'outcome'.padEnd(13)}${'live'.padStart(10)}${'decided'.padStart(11)}${'failed/total'.padStart(14)}`,
          row('good', g),
          row(`drill ${percent}%`, d),
          `goals: live ≤ ${GOALS.commitToLiveSeconds} s with 0 failed (${goals.goodLiveWithinGoal && goals.goodNoFailedRequests ? 'met' : 'missed'}), decided ≤ ${GOALS.decidedSeconds} s (${goals.goodDecidedWithinGoal && goals.drillDecidedWithinGoal ? 'met' : 'missed'}), drill rolled back with ≤ 1% failed (${goals.drillRolledBack && goals.drillFailedShareWithinGoal ? 'met' : 'missed'})`,
          'wrote bench/results/release.json',
          '',
        ].join('\n'),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench:release: ${e.message}\n`);
    process.exit(2);
  },
);
