import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import {
  assertLocalUrl,
  PUSHGATEWAY_URL,
  REPO_ROOT,
  STORE_URL,
  unhealthyServices,
} from '@dhakacart/lab-client';
import { SCENARIOS, scenarioSeconds } from './model/scenarios';
import { checkVisitors } from './model/visitor-model';
import { committedThresholds, generateAll } from './render/generate';
import { writeRunReports } from './report/run-report';
import { RESULTS_DIR, runScenario } from './run/runner';
import { runCapacity } from './capacity/run';

const HELP = `Usage: npm run load -- <scenario> [options]
       npm run load -- render          regenerate the thresholds and the k6 scripts
       npm run load -- list            the scenarios
       npm run load -- capacity [--start N] [--max-visitors N] [--step-seconds N]
                                       find the most visitors the lab holds within the SLO
                                       thresholds; writes bench/results/load.json

Puts load on the lab through its TLS edge: anonymous browsing from Vegeta (an open model:
page views arrive at a fixed rate however slowly the store answers), the journeys (shoppers,
flash-sale buyers) from Artillery. Visitors become arrival rates by Little's law
(docs/adr/0501-visitor-model.md). Series go to the lab's Pushgateway with a test id; the run
writes summary.json, summary.txt and report.html (charts) under test-artifacts/load/<testid>/.

Scenarios: ${Object.keys(SCENARIOS)
  .filter((s) => s !== 'peak-100k')
  .join(', ')}

Options:
  --visitors N     concurrent visitors (default: the scenario's)
  --duration D     run length: 90, 90s, 5m or 1h (default: the scenario's; bounded by it)
  --target URL     the store (default ${STORE_URL}); only this machine is accepted
  --testid ID      name the run (default: scenario and time)
  --no-push        do not send the series to the Pushgateway
  --json           print one JSON object: testid, requests, failedRate, p99Ms,
                   thresholdsPassed, report, and the details
  capacity only:
  --start N        the first step's visitors (default 500); steps double, then bisect
  --max-visitors N stop the ladder here (default 100000, the design's promise)
  --step-seconds N length of one step (default 40, 20..300)
  -h, --help       this help

Exit: 0 thresholds (and, for a flash sale, the invariants) passed; 1 they did not; 2 bad input
or the lab is not up (nothing was sent).
`;

export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(v.trim());
  if (!m) throw new Error(`--duration "${v}" is not a duration (90, 90s, 5m, 1h)`);
  const n = Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  if (!(n >= 5)) throw new Error('--duration must be at least 5 s');
  return Math.round(n);
}

const fail = (msg: string) => {
  process.stderr.write(`load: ${msg}\n`);
  return 2;
};

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        visitors: { type: 'string' },
        duration: { type: 'string' },
        target: { type: 'string' },
        testid: { type: 'string' },
        'no-push': { type: 'boolean' },
        start: { type: 'string' },
        'max-visitors': { type: 'string' },
        'step-seconds': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (!name) return fail(`which scenario?\n\n${HELP}`);
  if (extra.length) return fail(`unexpected arguments: ${extra.join(' ')}`);
  if (name === 'render') {
    for (const f of generateAll()) process.stderr.write(`wrote ${f}\n`);
    return 0;
  }
  if (name === 'list') {
    for (const s of Object.values(SCENARIOS))
      process.stdout.write(
        `${s.name.padEnd(11)} ${String(s.defaultVisitors).padStart(7)} visitors  ${String(scenarioSeconds(s)).padStart(5)} s  ${s.description}\n`,
      );
    return 0;
  }
  if (name === 'capacity') return capacity(values);
  const scenario = SCENARIOS[name];
  if (!scenario) return fail(`unknown scenario "${name}" (${Object.keys(SCENARIOS).join(', ')})`);
  if (name === 'peak-100k')
    return fail('peak-100k runs in the cluster (k6-operator, loadtests/generated/k6/peak-100k.js)');
  let visitors: number;
  let seconds: number;
  let target: string;
  try {
    visitors = checkVisitors(
      values.visitors === undefined ? scenario.defaultVisitors : wholeNumberOf(values.visitors),
    );
    seconds = values.duration ? parseDuration(values.duration) : scenarioSeconds(scenario);
    if (seconds > scenario.maxSeconds)
      throw new Error(`--duration is at most ${scenario.maxSeconds} s for ${name}`);
    target = assertLocalUrl(values.target ?? STORE_URL).origin;
  } catch (e) {
    return fail((e as Error).message);
  }
  const unhealthy = await unhealthyServices();
  if (!unhealthy) return fail('the lab is not up: run `npm run lab` first');
  if (unhealthy.includes('edge') || unhealthy.includes('api'))
    return fail(`the lab is not serving (${unhealthy.join(', ')} not healthy)`);

  const say = (s: string) => {
    if (!values.json || process.stderr.isTTY) process.stderr.write(`${s}\n`);
  };
  say(`load: ${name}, ${visitors} visitors for ${seconds} s against ${target}`);
  const ac = new AbortController();
  process.once('SIGINT', () => {
    say('load: stopping (Ctrl-C): the generators stop, the figures so far are reported');
    ac.abort();
  });
  const result = await runScenario({
    scenario,
    visitors,
    seconds,
    thresholds: committedThresholds(),
    baseUrl: target,
    pushgatewayUrl: values['no-push'] ? null : PUSHGATEWAY_URL,
    testid: values.testid,
    progress: say,
    signal: ac.signal,
  });

  // A flash sale is judged by the data too: the invariants checker (chaos/) as its own process.
  let invariants: { passed: boolean; line: string; report?: unknown } | undefined;
  if (scenario.flashSale) {
    const r = spawnSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [
        join(REPO_ROOT, 'chaos', 'src', 'cli.ts'),
        'invariants',
        '--json',
        '--history',
        result.history,
        '--since',
        result.startedAt,
      ],
      { encoding: 'utf8' },
    );
    try {
      const report = JSON.parse(r.stdout) as Record<string, number | boolean>;
      const counts = ['lost', 'oversold', 'duplicates', 'conservation', 'stranded', 'unresolved']
        .map((k) => `${k} ${report[k]}`)
        .join(', ');
      invariants = {
        passed: report.passed === true,
        line: `invariants ${report.passed ? 'PASS' : 'FAIL'}: ${counts}`,
        report,
      };
    } catch {
      invariants = { passed: false, line: `invariants could not be checked: ${r.stderr.trim()}` };
    }
  }
  const files = writeRunReports(join(RESULTS_DIR, result.testid), result, invariants);
  const passed = result.summary.thresholdsPassed && (invariants?.passed ?? true);
  if (values.json) {
    process.stdout.write(
      JSON.stringify(
        {
          testid: result.testid,
          scenario: result.scenario,
          visitors: result.visitors,
          seconds: result.seconds,
          requests: result.summary.requests,
          failedRate: result.summary.failedRate,
          p99Ms: result.summary.p99Ms,
          thresholdsPassed: result.summary.thresholdsPassed,
          invariants: invariants?.report ?? null,
          passed,
          report: files.html,
          summary: files.json,
          journeys: result.summary.journeys,
          pushed: result.pushed,
          history: result.history,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    process.stdout.write(`${readFileSync(files.text, 'utf8')}  report: ${files.html}\n`);
  }
  return passed ? 0 : 1;
}

async function capacity(values: {
  start?: string;
  'max-visitors'?: string;
  'step-seconds'?: string;
  'no-push'?: boolean;
  json?: boolean;
  target?: string;
}): Promise<number> {
  let start: number, max: number, stepSeconds: number;
  try {
    if (values.target && assertLocalUrl(values.target).origin !== new URL(STORE_URL).origin)
      throw new Error('capacity measures the lab itself; --target is not accepted');
    const visitorsFlag = (flag: string, v: string | undefined, d: number) => {
      try {
        return checkVisitors(v === undefined ? d : wholeNumberOf(v));
      } catch (e) {
        throw new Error((e as Error).message.replace('--visitors', flag));
      }
    };
    start = visitorsFlag('--start', values.start, 500);
    max = visitorsFlag('--max-visitors', values['max-visitors'], 100_000);
    if (max < start) throw new Error('--max-visitors must be at least --start');
    stepSeconds = values['step-seconds'] === undefined ? 40 : wholeNumberOf(values['step-seconds']);
    if (!Number.isInteger(stepSeconds) || stepSeconds < 20 || stepSeconds > 300)
      throw new Error('--step-seconds must be a whole number from 20 to 300');
  } catch (e) {
    return fail((e as Error).message);
  }
  const unhealthy = await unhealthyServices();
  if (!unhealthy) return fail('the lab is not up: run `npm run lab` first');
  if (unhealthy.includes('edge') || unhealthy.includes('api'))
    return fail(`the lab is not serving (${unhealthy.join(', ')} not healthy)`);
  const ac = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('load: stopping (Ctrl-C) after this step; the steps so far are written\n');
    ac.abort();
  });
  const { report, file } = await runCapacity({
    start,
    max,
    stepSeconds,
    maxSteps: 12,
    referenceSeconds: 10,
    pushgatewayUrl: values['no-push'] ? null : PUSHGATEWAY_URL,
    say: (l) => process.stderr.write(`${l}\n`),
    signal: ac.signal,
    command: `npm run load -- capacity ${process.argv.slice(3).join(' ')}`.trim(),
  });
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : `wrote ${file}\n`);
  return report.knee.visitors > 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`load: ${e.message}\n`);
      process.exit(2);
    },
  );
}
