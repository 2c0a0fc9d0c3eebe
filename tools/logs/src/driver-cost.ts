/**
 * `npx tsx tools/logs/src/driver-cost.ts`: the CPU each shipping candidate costs the host, for
 * docs/adr/0402-centralized-logs.md. A container prints pino-like lines at a fixed rate through
 * each candidate's log driver in turn (same run, rounds interleaved); we read the CPU time of the
 * Docker engine (where log drivers run), of the docker-proxy processes that forward the store's
 * published ports, and of the store's container, and count what arrived. Bounded: rounds x
 * candidates x (seconds + flush). Writes bench/results/log-drivers.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decimalNumberOf, wholeNumberOf } from '@dhakacart/numeric-text';
import { cpuProbe, dockerProxyPids, pidsOf } from './host-usage';
import { candidates, type Candidate } from './shipping';
import { removeContainer, startSpewer } from './spewer';
import { startThrowawayStore, type ThrowawayStore } from './store-container';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const FLUSH_S = 7; // the Splunk driver posts every 5 s; every candidate gets the same window

interface Sample {
  candidate: string;
  round: number;
  engineCpuS: number;
  proxyCpuS: number;
  storeCpuS: number;
  windowS: number;
  sent: number;
  arrived: number;
}

async function countArrived(store: ThrowawayStore, c: Candidate, run: string): Promise<number> {
  if (c.name === 'json-file') return 0;
  const filter = c.name === 'splunk-hec' ? `event.line.run:=${run}` : run;
  const rows = await store.client.query(`${filter} | stats count() n`);
  return Number(rows[0]?.n ?? 0);
}

async function measure(
  store: ThrowawayStore,
  c: Candidate,
  round: number,
  rate: number,
  seconds: number,
): Promise<Sample> {
  const engine = cpuProbe(pidsOf('dockerd'), []);
  const proxy = cpuProbe(
    dockerProxyPids([store.ports.http, store.ports.syslogUdp, store.ports.syslogTcp]),
    [],
  );
  const st = cpuProbe([], [store.id]);
  const before = { e: engine.read(), p: proxy.read(), s: st.read(), t: Date.now() };
  const sp = startSpewer(c, rate, seconds);
  try {
    await sp.done;
    await new Promise((r) => setTimeout(r, FLUSH_S * 1000));
    const after = { e: engine.read(), p: proxy.read(), s: st.read(), t: Date.now() };
    return {
      candidate: c.name,
      round,
      engineCpuS: after.e - before.e,
      proxyCpuS: after.p - before.p,
      storeCpuS: after.s - before.s,
      windowS: (after.t - before.t) / 1000,
      sent: sp.lines,
      arrived: await countArrived(store, c, sp.run),
    };
  } finally {
    removeContainer(sp.name);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '30' },
      rounds: { type: 'string', default: '2' },
      out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results', 'log-drivers.json') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npx tsx tools/logs/src/driver-cost.ts [--rate 500] [--seconds 30] [--rounds 2] [--out FILE]\n',
    );
    return 0;
  }
  const rate = decimalNumberOf(values.rate);
  const seconds = decimalNumberOf(values.seconds);
  const rounds = wholeNumberOf(values.rounds);
  if (
    ![rate, seconds, rounds].every((n) => Number.isFinite(n) && n > 0) ||
    rounds > 5 ||
    seconds > 120 ||
    rate > 5000
  ) {
    process.stderr.write(
      'error: --rate (<=5000), --seconds (<=120) and --rounds (<=5) must be positive numbers\n',
    );
    return 2;
  }
  const store = await startThrowawayStore({ prefix: 'logs-drvcost' });
  try {
    // The store at rest, and the engine's background (the lab keeps it busy too).
    const idle = { e: cpuProbe(pidsOf('dockerd'), []), s: cpuProbe([], [store.id]) };
    const i0 = { e: idle.e.read(), s: idle.s.read(), t: Date.now() };
    await new Promise((r) => setTimeout(r, (seconds + FLUSH_S) * 1000));
    const i1 = { e: idle.e.read(), s: idle.s.read(), t: Date.now() };
    const idleWindow = (i1.t - i0.t) / 1000;
    const samples: Sample[] = [];
    const all = candidates(store.ports);
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order each round so drift in the background load does not favour one.
      const order = [...all.slice(round - 1), ...all.slice(0, round - 1)];
      for (const c of order) {
        const s = await measure(store, c, round, rate, seconds);
        process.stderr.write(
          `round ${round} ${c.name.padEnd(11)} engine ${pct(s.engineCpuS, s.windowS)} proxy ${pct(s.proxyCpuS, s.windowS)} store ${pct(s.storeCpuS, s.windowS)} arrived ${s.arrived}/${s.sent}\n`,
        );
        samples.push(s);
      }
    }
    // Per round, each candidate's engine CPU minus the json-file baseline's in the same round;
    // then the median over rounds, so one round disturbed by a neighbour does not decide.
    const rate1 = (s: Sample, f: (s: Sample) => number) => f(s) / s.windowS;
    const baselineOf = (round: number) =>
      rate1(
        samples.find((s) => s.candidate === 'json-file' && s.round === round)!,
        (s) => s.engineCpuS,
      );
    const summary = all.map((c) => {
      const xs = samples.filter((s) => s.candidate === c.name);
      const engine = median(xs.map((s) => rate1(s, (x) => x.engineCpuS)));
      const proxy = median(xs.map((s) => rate1(s, (x) => x.proxyCpuS)));
      const storeCpu = median(xs.map((s) => rate1(s, (x) => x.storeCpuS)));
      const extra = median(
        xs.map(
          (s) =>
            rate1(s, (x) => x.engineCpuS) -
            baselineOf(s.round) +
            rate1(s, (x) => x.proxyCpuS + x.storeCpuS),
        ),
      );
      return {
        candidate: c.name,
        driver: c.driver,
        summary: c.summary,
        engineCpuPctOfOneCore: round2(engine * 100),
        proxyCpuPctOfOneCore: round2(proxy * 100),
        storeCpuPctOfOneCore: round2(storeCpu * 100),
        addedCpuPctOfOneCore: round2(extra * 100),
        addedCpuMicrosPerLine: Math.round((extra / rate) * 1e6),
        delivered: `${xs.reduce((a, s) => a + s.arrived, 0)}/${xs.reduce((a, s) => a + s.sent, 0)}`,
      };
    });
    const result = {
      command: `npx tsx tools/logs/src/driver-cost.ts --rate ${rate} --seconds ${seconds} --rounds ${rounds}`,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length },
      setup:
        'one VictoriaLogs container (project image) with its ports published on 127.0.0.1; a node container printing ~330-byte pino-like lines at the fixed rate through each log driver in turn; CPU from /proc (dockerd, docker-proxy) and the store cgroup; the lab stack kept running (background in the engine figure, removed by the json-file baseline)',
      rateLinesPerSecond: rate,
      method:
        'added CPU = engine CPU minus the json-file run of the same round, plus docker-proxy and store CPU; median over rounds',
      loadAverageAtStart: loadavg().map(round2),
      idle: {
        windowS: round2(idleWindow),
        storeCpuPctOfOneCore: round2(((i1.s - i0.s) / idleWindow) * 100),
        engineCpuPctOfOneCore: round2(((i1.e - i0.e) / idleWindow) * 100),
      },
      summary,
      samples,
    };
    mkdirSync(join(values.out, '..'), { recursive: true });
    writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify({ idle: result.idle, summary }, null, 2) + '\n');
    return 0;
  } finally {
    store.remove();
  }
}

const pct = (cpuS: number, windowS: number) =>
  `${((cpuS / windowS) * 100).toFixed(2).padStart(6)}%`;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  },
);
