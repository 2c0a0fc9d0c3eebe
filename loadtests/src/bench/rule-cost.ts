/**
 * `npm run bench:rules`: what the SLO rules cost Prometheus to evaluate, with the long windows
 * (2h to 30d) in their own group once a minute (ADR 0206, decision 15) and, side by side in the
 * same run, inline at every evaluation as before it. Both run on the same history: the series the
 * SLI rules read, taken from the lab's Prometheus (their real labels and count), given `--hours`
 * of synthetic samples at their jobs' scrape intervals (Prometheus's own backfill), then scraped
 * live so that they continue. Two Prometheus processes (Debian's, as the lab's image) evaluate the
 * two rule files at once; the benchmark reads each one's own CPU and rule-evaluation time.
 * Writes bench/results/slo-rules.json with the command that produced it. It asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { parse, stringify } from 'yaml';
import { labScrapeIntervals, REPO_ROOT, seriesSince, sleep } from '@dhakacart/lab-client';
import {
  scrapedSelectors,
  sliGroupKind,
  SLO_ROOT,
  withLongWindowsInline,
  type RuleFileDoc,
} from '@dhakacart/slo';
import {
  freePort,
  httpOk,
  startProcess,
  waitFor,
  type RunningProcess,
} from '@dhakacart/slo/src/testing';
import { exposition, writeOpenMetrics, type SyntheticSeries } from './synthetic-series';

const HELP = `Usage: npm run bench:rules -- [options]

Measures, in one run, what the SLO rules cost Prometheus: the committed layout (the long SLI
windows 2h-30d in their own group, once a minute) beside the layout before it (every window at
every evaluation). Needs the lab up (npm run lab): the series come from its Prometheus.
Writes bench/results/slo-rules.json and prints a table.

Options:
  --hours N           history given to the series, in hours (default 24, 1-72; the lab keeps 7 days)
  --series-minutes N  the series are those the lab had in its last N minutes (default 60, 1-1440)
  --minutes N         length of the measurement (default 3, 1-15)
  --warmup-seconds N  after both are ready, before measuring (default 90, 0-600: the first
                      block compactions and every group's first evaluation happen in it)
  --json              print the results as JSON
  -h, --help          this help
`;

const RULES = join(SLO_ROOT, 'generated', 'slo-rules.yaml');

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;
const say = (s: string) => process.stderr.write(`${s}\n`);

function intOption(v: string | undefined, d: number, name: string, min: number, max: number) {
  if (v === undefined) return d;
  const n = wholeNumberOf(v);
  if (!(n >= min && n <= max))
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  return n;
}

/**
 * The series the SLI rules read, with their labels, that the lab's Prometheus has had in the last
 * `minutes` (an api counter exists only once its route has served a request, so the series of
 * an idle moment are fewer than those of a day of traffic; each replaced task adds its own).
 */
async function labSeries(doc: RuleFileDoc, minutes: number): Promise<SyntheticSeries[]> {
  const { scrapeSeconds } = labScrapeIntervals();
  const since = Math.floor(Date.now() / 1000) - minutes * 60;
  const seen = new Map<string, SyntheticSeries>();
  for (const sel of scrapedSelectors(doc)) {
    for (const labels of await seriesSince(sel, since)) {
      const key = JSON.stringify(Object.entries(labels).sort());
      seen.set(key, { labels, stepSeconds: scrapeSeconds(labels.job ?? '') });
    }
  }
  return [...seen.values()];
}

/** Serves the series' current values, so the backfilled history continues in both Prometheus. */
async function serveLive(series: SyntheticSeries[], origin: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(exposition(series, origin, Math.floor(Date.now() / 1000)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** One metric's value summed over its series, from a Prometheus's own /metrics. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{'))
      continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

interface Arm {
  name: 'before' | 'after';
  layout: string;
  process: RunningProcess;
  url: string;
}

interface Reading {
  cpuSeconds: number;
  ruleSeconds: number;
  compactions: number;
}

async function read(arm: Arm): Promise<Reading> {
  const text = await (await fetch(`${arm.url}/metrics`)).text();
  return {
    cpuSeconds: metricSum(text, 'process_cpu_seconds_total'),
    ruleSeconds: metricSum(text, 'prometheus_rule_group_duration_seconds_sum'),
    compactions: metricSum(text, 'prometheus_tsdb_compactions_total'),
  };
}

/** Each SLI kind's evaluation seconds per minute now: last duration x evaluations a minute. */
async function perKind(arm: Arm): Promise<Record<'short' | 'long' | 'other', number>> {
  const body = (await (await fetch(`${arm.url}/api/v1/rules`)).json()) as {
    data: { groups: { name: string; interval: number; evaluationTime: number }[] };
  };
  const out = { short: 0, long: 0, other: 0 };
  for (const g of body.data.groups)
    out[sliGroupKind(g.name)] += (g.evaluationTime * 60) / g.interval;
  return out;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      hours: { type: 'string' },
      minutes: { type: 'string' },
      'series-minutes': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const hours = intOption(values.hours, 24, 'hours', 1, 72);
  const minutes = intOption(values.minutes, 3, 'minutes', 1, 15);
  const seriesMinutes = intOption(values['series-minutes'], 60, 'series-minutes', 1, 1440);
  const warmup = intOption(values['warmup-seconds'], 90, 'warmup-seconds', 0, 600);

  const committed = parse(readFileSync(RULES, 'utf8')) as RuleFileDoc;
  say(
    `1/5 the series the SLI rules read, from the lab's Prometheus (its last ${seriesMinutes} min)`,
  );
  const series = await labSeries(committed, seriesMinutes);
  if (series.length === 0)
    throw new Error('the lab has none of the series the SLI rules read: is it up (npm run lab)?');
  say(`    ${series.length} series`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-rules-'));
  const started: RunningProcess[] = [];
  let live: Server | undefined;
  // Ctrl-C: the two Prometheus and the temporary history go with the benchmark.
  process.once('SIGINT', () => {
    say('interrupted: stopping both Prometheus');
    for (const p of started) p.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  try {
    const to = Math.floor(Date.now() / 1000);
    const from = to - hours * 3600;
    say(`2/5 writing ${hours} h of samples for each series`);
    let shown = 0;
    const written = await writeOpenMetrics(join(dir, 'history.om'), series, from, to, (n, all) => {
      if (n === all || n - shown >= all / 4) {
        say(`    ${n}/${all} series`);
        shown = n;
      }
    });
    say(
      `    ${written.samples.toLocaleString('en')} samples, ${Math.round(written.bytes / 2 ** 20)} MiB`,
    );
    say(
      '3/5 building TSDB blocks (promtool tsdb create-blocks-from openmetrics), one copy per arm',
    );
    const data = join(dir, 'data-before');
    execFileSync('promtool', [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '-q',
      join(dir, 'history.om'),
      data,
    ]);
    cpSync(data, join(dir, 'data-after'), { recursive: true });
    rmSync(join(dir, 'history.om'));

    live = await serveLive(series, from);
    const liveTarget = `127.0.0.1:${(live.address() as AddressInfo).port}`;
    const { evaluation } = labScrapeIntervals();
    const step = Math.min(...series.map((s) => s.stepSeconds));
    const layouts = { before: withLongWindowsInline(committed), after: committed };
    say(
      '4/5 two Prometheus side by side: the long windows inline (before) and once a minute (after)',
    );
    const arms: Arm[] = [];
    for (const name of ['before', 'after'] as const) {
      const port = await freePort();
      const rules = join(dir, `rules-${name}.yaml`);
      writeFileSync(rules, stringify(layouts[name], { lineWidth: 0 }));
      const config = join(dir, `prometheus-${name}.yml`);
      writeFileSync(
        config,
        stringify({
          global: { evaluation_interval: evaluation, scrape_interval: `${step}s` },
          rule_files: [rules],
          scrape_configs: [
            {
              job_name: 'bench-source',
              honor_labels: true,
              static_configs: [{ targets: [liveTarget] }],
            },
          ],
        }),
      );
      const proc = startProcess('prometheus', [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, `data-${name}`)}`,
        '--storage.tsdb.retention.time=7d',
        `--web.listen-address=127.0.0.1:${port}`,
      ]);
      started.push(proc);
      arms.push({
        name,
        layout: name === 'before' ? 'every window in one group' : 'long windows once a minute',
        process: proc,
        url: `http://127.0.0.1:${port}`,
      });
    }
    for (const arm of arms)
      await waitFor(
        `prometheus (${arm.name}) ready`,
        () => httpOk(`${arm.url}/-/ready`),
        120000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}\n${arm.process.output()}`);
      });
    say(`    both ready; warming up ${warmup} s`);
    await sleep(warmup * 1000);

    say(`5/5 measuring ${minutes} min`);
    const t0 = Date.now();
    const first = await Promise.all(arms.map(read));
    const kinds = arms.map(() => ({ short: 0, long: 0, other: 0, n: 0 }));
    while (Date.now() - t0 < minutes * 60000) {
      await sleep(Math.min(15000, minutes * 60000 - (Date.now() - t0)));
      const k = await Promise.all(arms.map(perKind));
      k.forEach((v, i) => {
        const acc = kinds[i]!;
        acc.short += v.short;
        acc.long += v.long;
        acc.other += v.other;
        acc.n++;
      });
      say(`    ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    const last = await Promise.all(arms.map(read));
    const seconds = (Date.now() - t0) / 1000;
    const figures = arms.map((arm, i) => {
      const a = first[i]!;
      const b = last[i]!;
      const k = kinds[i]!;
      return {
        arm: arm.name,
        layout: arm.layout,
        cpuCores: round((b.cpuSeconds - a.cpuSeconds) / seconds, 4),
        ruleEvaluationSecondsPerMinute: round(((b.ruleSeconds - a.ruleSeconds) * 60) / seconds),
        bySliGroupPerMinute: {
          short: round(k.short / k.n),
          long: round(k.long / k.n),
          other: round(k.other / k.n),
        },
        compactionsWhileMeasuring: b.compactions - a.compactions,
      };
    });
    const [before, after] = figures as [(typeof figures)[0], (typeof figures)[0]];
    const report = {
      command: `npm run bench:rules -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      prometheus: execFileSync('prometheus', ['--version'], { encoding: 'utf8' }).split('\n')[0],
      history: {
        hours,
        series: series.length,
        seriesFromTheLabsLastMinutes: seriesMinutes,
        samples: written.samples,
        evaluationInterval: evaluation,
      },
      measuredSeconds: Math.round(seconds),
      figures,
      ratios: {
        cpuAfterOverBefore: round(after.cpuCores / before.cpuCores),
        ruleEvaluationAfterOverBefore: round(
          after.ruleEvaluationSecondsPerMinute / before.ruleEvaluationSecondsPerMinute,
        ),
      },
    };
    const out = join(REPO_ROOT, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'slo-rules.json'), JSON.stringify(report, null, 2) + '\n');
    if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else {
      const pct = (n: number) => `${(n * 100).toFixed(2)}% of a core`;
      const rows = [
        ['', 'before (inline)', 'after (once a minute)', 'after/before'],
        [
          'Prometheus CPU',
          pct(before.cpuCores),
          pct(after.cpuCores),
          String(report.ratios.cpuAfterOverBefore),
        ],
        [
          'rule evaluation, s/min',
          String(before.ruleEvaluationSecondsPerMinute),
          String(after.ruleEvaluationSecondsPerMinute),
          String(report.ratios.ruleEvaluationAfterOverBefore),
        ],
        [
          '  SLI short group',
          String(before.bySliGroupPerMinute.short),
          String(after.bySliGroupPerMinute.short),
          '',
        ],
        [
          '  SLI long group',
          String(before.bySliGroupPerMinute.long),
          String(after.bySliGroupPerMinute.long),
          '',
        ],
        [
          '  other groups',
          String(before.bySliGroupPerMinute.other),
          String(after.bySliGroupPerMinute.other),
          '',
        ],
        [
          'compactions measured',
          String(before.compactionsWhileMeasuring),
          String(after.compactionsWhileMeasuring),
          '',
        ],
      ];
      const w = rows[0]!.map((_c, j) => Math.max(...rows.map((r) => r[j]!.length)));
      process.stdout.write(
        `${series.length} series, ${hours} h of history (${written.samples.toLocaleString('en')} samples), ${Math.round(seconds)} s measured\n` +
          rows
            .map((r) =>
              r
                .map((c, j) => c.padEnd(w[j]!))
                .join('  ')
                .trimEnd(),
            )
            .join('\n') +
          '\nwrote bench/results/slo-rules.json\n',
      );
    }
    return 0;
  } finally {
    live?.close();
    for (const p of started) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench:rules: ${e.message}\n`);
    process.exit(1);
  },
);
