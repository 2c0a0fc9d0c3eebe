/**
 * `npm run bench:logs`: the central logs' figures on this machine, without the lab, written to
 * bench/results/logs.json with the command that produced them.
 *
 * 1. Ingestion lag at the lab's normal load: a container logs through the Docker engine's Splunk
 *    driver (the lab's options) at the lab's line rate, each line stamped with the time it was
 *    printed; the bench polls the store and records when each line became searchable.
 * 2. Query time for "errors in the last hour" (the CLI's saved query) over a day of lab-like logs
 *    generated with backdated timestamps and bulk-loaded through /insert/jsonline under the same
 *    field names the driver produces.
 * 3. The store's and the shipper's CPU and memory: the store's container (cgroup) at rest and
 *    under the lab's load; the shipper is the engine itself (dockerd), measured the same way.
 * Bounded: every phase has a fixed size and a deadline; every container is removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decimalNumberOf } from '@dhakacart/numeric-text';
import { imageRef } from '@dhakacart/images';
import { F } from './fields';
import { containerPid, cpuProbe, pidsOf, processRssBytes } from './host-usage';
import * as Q from './queries';
import { dockerRunLogArgs, splunkOpts } from './shipping';
import { removeContainer } from './spewer';
import { startThrowawayStore, type ThrowawayStore } from './store-container';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const OUT = join(REPO_ROOT, 'bench', 'results', 'logs.json');
const STACK = 'dhakacart';

/** The store's resident memory (its one process), in bytes. */
const storeRss = (store: ThrowawayStore) => processRssBytes(containerPid(store.id));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

/** The lab's services and their share of its lines (from `docker service logs` at rest). */
const SERVICES: [string, number][] = [
  ['api', 0.55],
  ['edge', 0.25],
  ['pgrouter', 0.06],
  ['web', 0.04],
  ['pg1', 0.03],
  ['pg2', 0.02],
  ['pg3', 0.02],
  ['redis1', 0.01],
  ['sentinel1', 0.01],
  ['prometheus', 0.01],
];
const ROUTES = [
  '/api/products',
  '/api/products/:id',
  '/api/cart',
  '/api/orders',
  '/api/auth/login',
  '/readyz',
];

/** One lab-like line as the Splunk driver + VictoriaLogs store it (see fields.ts). */
function labLine(t: number, i: number): Record<string, string | number> {
  let r = (i * 2654435761) % 1000;
  let service = SERVICES[SERVICES.length - 1]![0];
  for (const [s, share] of SERVICES) {
    if (r < share * 1000) {
      service = s;
      break;
    }
    r -= share * 1000;
  }
  const base = {
    _time: new Date(t).toISOString(),
    host: 'lab-node-1',
    [F.stack]: STACK,
    [F.service]: `${STACK}_${service}`,
    [F.task]: `${STACK}_${service}.${(i % 3) + 1}.${(i % 97).toString(36).padStart(25, 'x')}`,
    [F.nodeId]: 'x2hyttz06x5xp03xxjogoylix',
    [F.stream]: 'stdout',
    [F.container]: `${STACK}_${service}.1`,
  };
  const err = i % 200 === 0;
  if (service === 'api' || service === 'edge') {
    return {
      ...base,
      [F.level]: err ? 50 : 30,
      [F.reqId]: `${t.toString(36)}-${i.toString(36)}`,
      [F.method]: i % 5 === 0 ? 'POST' : 'GET',
      [F.route]: ROUTES[i % ROUTES.length]!,
      [F.status]: err ? 500 : 200,
      [F.durationMs]: (i % 50) + 1,
      ...(i % 4 === 0
        ? { [F.customerId]: `00000000-0000-4000-8000-${(i % 5000).toString().padStart(12, '0')}` }
        : {}),
      _msg: 'request',
    };
  }
  return {
    ...base,
    [F.stream]: err ? 'stderr' : 'stdout',
    _msg: err
      ? `ERROR: could not connect to server (${i % 7})`
      : `checkpoint complete: wrote ${i % 300} buffers`,
  };
}

async function loadDay(store: ThrowawayStore, linesPerSecond: number) {
  const now = Date.now();
  const total = Math.round(linesPerSecond * 86_400);
  const batch = 20_000;
  const t0 = Date.now();
  for (let i = 0; i < total; i += batch) {
    const lines = [];
    for (let j = i; j < Math.min(total, i + batch); j++) {
      lines.push(labLine(now - 86_400_000 + Math.floor((j / total) * 86_400_000), j));
    }
    await store.client.insertJsonLines(
      lines,
      { streamFields: [F.stack, F.service, F.node], msgField: '_msg' },
      60_000,
    );
  }
  return { lines: total, seconds: (Date.now() - t0) / 1000 };
}

async function timeQuery(store: ThrowawayStore, logsql: string, runs: number) {
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await store.client.query(logsql, { timeoutMs: 30_000 })).length;
    ms.push(performance.now() - t0);
  }
  return {
    runs,
    rows,
    p50Ms: round(pct(ms, 50), 1),
    p95Ms: round(pct(ms, 95), 1),
    maxMs: round(Math.max(...ms), 1),
  };
}

/** Lag: a container prints `rate` lines/s for `seconds`; each has a sequence number and its time. */
async function measureLag(store: ThrowawayStore, rate: number, seconds: number) {
  const run = `lag${randomBytes(4).toString('hex')}`;
  const name = `logs-bench-${run}`;
  const script = `let n=0;const total=${rate * seconds};const t=setInterval(()=>{n++;process.stdout.write(JSON.stringify({level:30,service:'api',msg:'request',route:'/readyz',status:200,run:'${run}',seq:n,sentMs:Date.now()})+'\\n');if(n>=total)clearInterval(t)},${Math.round(1000 / rate)});`;
  const engine = cpuProbe(pidsOf('dockerd'), []);
  const st = cpuProbe([], [store.id]);
  const dockerdRss0 = pidsOf('dockerd').reduce((a, p) => a + processRssBytes(p), 0);
  const c0 = { e: engine.read(), s: st.read(), t: Date.now() };
  execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--name',
      name,
      '--label',
      'dhakacart.throwaway=logs',
      ...dockerRunLogArgs({
        name: 'splunk-hec',
        driver: 'splunk',
        opts: splunkOpts(store.url),
        summary: '',
      }),
      imageRef('node'),
      'node',
      '-e',
      script,
    ],
    { stdio: 'ignore' },
  );
  const seen = new Map<number, number>();
  const sent = new Map<number, number>();
  const memory: number[] = [];
  const deadline = Date.now() + (seconds + 30) * 1000;
  let dockerdRssMax = dockerdRss0;
  try {
    while (seen.size < rate * seconds && Date.now() < deadline) {
      const rows = await store.client.query(
        `event.line.run:=${run} | fields event.line.seq, event.line.sentMs`,
        { timeoutMs: 5000 },
      );
      const at = Date.now();
      for (const r of rows) {
        const seq = Number(r['event.line.seq']);
        if (!seen.has(seq)) {
          seen.set(seq, at);
          sent.set(seq, Number(r['event.line.sentMs']));
        }
      }
      memory.push(storeRss(store));
      dockerdRssMax = Math.max(
        dockerdRssMax,
        pidsOf('dockerd').reduce((a, p) => a + processRssBytes(p), 0),
      );
      await sleep(250);
    }
  } finally {
    removeContainer(name);
  }
  const c1 = { e: engine.read(), s: st.read(), t: Date.now() };
  const lags = [...seen.entries()].map(([seq, at]) => (at - sent.get(seq)!) / 1000);
  const window = (c1.t - c0.t) / 1000;
  return {
    rateLinesPerSecond: rate,
    seconds,
    linesSent: rate * seconds,
    linesFound: seen.size,
    lagSeconds: {
      p50: round(pct(lags, 50)),
      p95: round(pct(lags, 95)),
      max: round(Math.max(...lags)),
    },
    storeCpuPctOfOneCore: round(((c1.s - c0.s) / window) * 100),
    storeRssMiBMax: round(Math.max(...memory) / 2 ** 20, 1),
    wholeEngineCpuPctOfOneCore: round(((c1.e - c0.e) / window) * 100),
    engineRssMiBBefore: round(dockerdRss0 / 2 ** 20, 1),
    engineRssMiBMax: round(dockerdRssMax / 2 ** 20, 1),
  };
}

/**
 * What one exec health check costs the host: the image's own HEALTHCHECK command run through
 * `docker exec` (the engine's exec path) N times, engine + containerd + shims (with runc, their
 * children) + the container, minus the same window without execs.
 */
async function healthCheckCost(store: ThrowawayStore, runs: number) {
  const cmd = JSON.parse(
    execFileSync('docker', ['inspect', '-f', '{{json .Config.Healthcheck.Test}}', store.name], {
      encoding: 'utf8',
    }),
  ) as string[];
  const pids = [...pidsOf('dockerd'), ...pidsOf('containerd'), ...pidsOf('containerd-shim')];
  const probe = cpuProbe(pids, [store.id], true);
  const window = async (f: () => Promise<void>) => {
    const c0 = probe.read();
    const t0 = Date.now();
    await f();
    return { cpu: probe.read() - c0, ms: Date.now() - t0 };
  };
  const busy = await window(async () => {
    for (let i = 0; i < runs; i++)
      execFileSync('docker', ['exec', store.name, ...cmd.slice(1)], { stdio: 'ignore' });
  });
  const quiet = await window(async () => {
    await sleep(busy.ms);
  });
  return {
    runs,
    cpuMsPerCheck: round(((busy.cpu - quiet.cpu) / runs) * 1000, 1),
    note: 'background (the lab, other work) subtracted with an equal window without execs',
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'day-rate': { type: 'string', default: '10' },
      'lag-rate': { type: 'string', default: '5' },
      'lag-seconds': { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run bench:logs -- [--day-rate 10] [--lag-rate 5] [--lag-seconds 60]\n' +
        '  --day-rate     average lines/s of the generated day (the lab idles near 3.5, 10 is a busy day)\n' +
        "  --lag-rate     lines/s while measuring ingestion lag (the lab's normal load)\n" +
        '  --lag-seconds  how long to measure lag\n',
    );
    return 0;
  }
  const dayRate = decimalNumberOf(values['day-rate']);
  const lagRate = decimalNumberOf(values['lag-rate']);
  const lagSeconds = decimalNumberOf(values['lag-seconds']);
  if (!(
    dayRate > 0 &&
    dayRate <= 100 &&
    lagRate > 0 &&
    lagRate <= 100 &&
    lagSeconds >= 10 &&
    lagSeconds <= 600
  )) {
    process.stderr.write(
      'error: --day-rate and --lag-rate in (0, 100], --lag-seconds in [10, 600]\n',
    );
    return 2;
  }
  const store = await startThrowawayStore({ prefix: 'logs-bench' });
  try {
    process.stderr.write('bench: the store at rest (30 s)\n');
    const st = cpuProbe([], [store.id]);
    const s0 = { s: st.read(), t: Date.now() };
    await sleep(30_000);
    const idle = {
      storeCpuPctOfOneCore: round(((st.read() - s0.s) / ((Date.now() - s0.t) / 1000)) * 100),
      storeRssMiB: round(storeRss(store) / 2 ** 20, 1),
    };
    process.stderr.write('bench: the cost of one health check (20 runs)\n');
    const health = await healthCheckCost(store, 20);
    process.stderr.write(`bench: ingestion lag at ${lagRate} lines/s for ${lagSeconds} s\n`);
    const lag = await measureLag(store, lagRate, lagSeconds);
    process.stderr.write(`bench: loading a day of logs at ${dayRate} lines/s average\n`);
    const day = await loadDay(store, dayRate);
    await sleep(2000);
    process.stderr.write('bench: timing queries\n');
    const since = { stack: STACK, since: '1h' };
    const queries = {
      errorsLastHour: await timeQuery(store, Q.errors.logsql(since), 10),
      errorsLastDay: await timeQuery(store, Q.errors.logsql({ ...since, since: '24h' }), 5),
      customerLastDay: await timeQuery(
        store,
        Q.customer.logsql({
          ...since,
          since: '24h',
          userId: '00000000-0000-4000-8000-000000000124',
        }),
        5,
      ),
      trendLast6h: await timeQuery(
        store,
        Q.trend.logsql({ ...since, since: '6h', step: '10m' }),
        5,
      ),
    };
    const afterLoad = { storeRssMiB: round(storeRss(store) / 2 ** 20, 1) };
    const driverCost = existsSync(join(REPO_ROOT, 'bench', 'results', 'log-drivers.json'))
      ? (JSON.parse(
          readFileSync(join(REPO_ROOT, 'bench', 'results', 'log-drivers.json'), 'utf8'),
        ) as {
          summary: { candidate: string; addedCpuMicrosPerLine: number }[];
        })
      : null;
    const perLineUs = driverCost?.summary.find(
      (s) => s.candidate === 'splunk-hec',
    )?.addedCpuMicrosPerLine;
    const idleLabLinesPerSecond = 3.5;
    const n = cpus().length;
    const result = {
      command: `npm run bench:logs -- --day-rate ${dayRate} --lag-rate ${lagRate} --lag-seconds ${lagSeconds}`,
      date: new Date().toISOString(),
      machine: { cpus: n, loadAverageAtEnd: loadavg().map((x) => round(x)) },
      setup:
        "throwaway VictoriaLogs container from the project image; a node container logging through the engine's Splunk driver with the lab's options (lag); a generated lab-like day bulk-loaded through /insert/jsonline under the driver's field names (queries); CPU and memory from cgroups and /proc; other work on the machine continues (see load average)",
      ingestionLag: lag,
      day: { ...day, linesPerSecondAverage: dayRate },
      queries,
      store: {
        idle,
        underLabLoad: {
          cpuPctOfOneCore: lag.storeCpuPctOfOneCore,
          rssMiBMax: lag.storeRssMiBMax,
        },
        afterDayLoaded: afterLoad,
      },
      shipper: {
        what: 'the Docker engine (dockerd) runs the Splunk log driver: no shipper process of its own',
        addedCpuMicrosPerLine: perLineUs ?? null,
        addedCpuPctOfOneCoreAtIdleLab: perLineUs
          ? round((perLineUs * idleLabLinesPerSecond) / 1e4, 3)
          : null,
        engineRssMiBBefore: lag.engineRssMiBBefore,
        engineRssMiBMaxWhileShipping: lag.engineRssMiBMax,
        source:
          'addedCpuMicrosPerLine from bench/results/log-drivers.json (tools/logs/src/driver-cost.ts)',
      },
      idleLabBudget: {
        rule: 'logging adds at most 3 percentage points to the idle lab CPU share (share of all cores)',
        idleLabLinesPerSecond,
        storeAndShippingPctOfMachine: perLineUs
          ? round((idle.storeCpuPctOfOneCore + (perLineUs * idleLabLinesPerSecond) / 1e4) / n, 3)
          : null,
        healthCheck: {
          ...health,
          everySeconds: 60,
          addedPctOfMachine: round(((health.cpuMsPerCheck / 60_000) * 100) / n, 3),
        },
        totalAddedPctOfMachine: perLineUs
          ? round(
              (idle.storeCpuPctOfOneCore +
                (perLineUs * idleLabLinesPerSecond) / 1e4 +
                (health.cpuMsPerCheck / 60_000) * 100) /
                n,
              3,
            )
          : null,
      },
    };
    mkdirSync(join(OUT, '..'), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } finally {
    store.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(1);
  },
);
