import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { PUSHGATEWAY_URL, REPO_ROOT } from '@dhakacart/lab-client';
import { up } from '@dhakacart/lab';
import { checkVisitors } from '@dhakacart/loadtests';
import { EXPERIMENTS, profileExperiments } from '../catalogue/experiments';
import type { Profile } from '../catalogue/types';
import { jsonResult, writeGamedayReports } from './report';
import { PROFILE_BUDGET_SECONDS, runGameday } from './run';

const HELP = `Usage: npm run gameday -- [--quick | --nightly] [options]

The game day: brings the lab up if needed, removes faults an earlier run left, starts load
(loadtests/, scenario gameday), then runs the chaos catalogue in order. Before each fault it
waits for the steady state (every SLO within its objective over 30 s); after it, for recovery
(back within objective for 60 s). Each experiment's hypothesis, recovery time, error budget
burned, alerts and the data's invariants are checked and reported.

Profiles (timed once the lab is up):
  (default)   ${profileExperiments('default').length} experiments, at most ${PROFILE_BUDGET_SECONDS.default / 60} minutes
  --quick     ${profileExperiments('quick').length} experiments, at most ${PROFILE_BUDGET_SECONDS.quick / 60} minutes (what npm test runs)
  --nightly   the whole catalogue (${EXPERIMENTS.length}), at most ${PROFILE_BUDGET_SECONDS.nightly / 60} minutes

Options:
  --only a,b       run only these experiments (see --list), in catalogue order
  --visitors N     the load's visitors, as given (default: 150, lowered if the host
                   has not a quarter of its cores free under that load; see below)
  --list           the catalogue: name, profiles and hypothesis
  --json           print the result as JSON (experiments, invariants, report)
  -h, --help       this help

Sizing: without --visitors, the game day first measures the host's busy cores with the lab
up and no load, then with 150 visitors. If the load keeps more than 75% of the cores busy, it
runs fewer visitors (at least 40), so a fault's own work (a container start, a promotion) has
room. The report gives both measurements and the visitors used.

Every fault is reverted on exit, on Ctrl-C and on abort; a fault a killed run left behind is
removed by the next game day (and by \`npm run lab\`). Reports: test-artifacts/gameday/<id>/
(report.html with charts, report.md, report.json). Guide: docs/chaos/game-day.md.

Exit: 0 every hypothesis and invariant held; 1 one did not; 2 bad input or the run was aborted.
`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        nightly: { type: 'boolean' },
        only: { type: 'string' },
        visitors: { type: 'string' },
        list: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`gameday: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.list) {
    for (const e of EXPERIMENTS)
      process.stdout.write(
        `${e.name.padEnd(22)} ${e.profiles.join(',').padEnd(22)} ${e.hypothesis}\n`,
      );
    return 0;
  }
  if (values.quick && values.nightly) {
    process.stderr.write('gameday: choose one of --quick and --nightly\n');
    return 2;
  }
  const profile: Profile = values.quick ? 'quick' : values.nightly ? 'nightly' : 'default';
  let experiments = profileExperiments(profile);
  if (values.only) {
    const names = values.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = names.filter((n) => !EXPERIMENTS.some((e) => e.name === n));
    if (unknown.length) {
      process.stderr.write(`gameday: unknown experiment ${unknown.join(', ')} (see --list)\n`);
      return 2;
    }
    experiments = EXPERIMENTS.filter((e) => names.includes(e.name));
  }
  let visitors: number;
  try {
    visitors = checkVisitors(values.visitors === undefined ? 150 : wholeNumberOf(values.visitors));
  } catch (e) {
    process.stderr.write(`gameday: ${(e as Error).message}\n`);
    return 2;
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const ac = new AbortController();
  const onSignal = () => {
    say('gameday: stopping (Ctrl-C): reverting every fault, stopping the load');
    ac.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${profile}`;
  const result = await runGameday({
    id,
    profile,
    experiments,
    visitors,
    sizeToHeadroom: values.visitors === undefined,
    say,
    signal: ac.signal,
    bringUp: () => up(say),
    // The lab's, through the edge with the operators' credentials (lab-client's push).
    pushgatewayUrl: PUSHGATEWAY_URL,
  });
  const files = writeGamedayReports(join(REPO_ROOT, 'test-artifacts', 'gameday', id), result);
  if (values.json)
    process.stdout.write(JSON.stringify(jsonResult(result, files.html), null, 2) + '\n');
  else
    process.stdout.write(
      `\ngame day ${result.passed ? 'PASSED' : 'FAILED'}${result.aborted ? ` (aborted: ${result.aborted})` : ''}: ${result.experiments.filter((x) => x.passed).length}/${experiments.length} experiments held; report ${files.html}\n`,
    );
  if (result.aborted) return 2;
  return result.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`gameday: ${e.message}\n`);
    process.exit(2);
  },
);
