import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CA_CERT,
  EdgeClient,
  REPO_ROOT,
  STATE_DIR,
  STORE_URL,
  assertLocalUrl,
  push,
  type PushSample,
} from '@dhakacart/lab-client';
import {
  BROWSE_PAGES,
  JOURNEYS,
  SEARCH_TERMS,
  callsPerBrowsePage,
  type Call,
  type JourneyName,
} from '../model/journeys';
import { OrderHistory } from '../history';
import { newShopper } from '../shoppers';
import { scalePhases, type Scenario } from '../model/scenarios';
import type { Thresholds } from '../model/thresholds';
import { pageViewsPerSecond, THINK_TIME } from '../model/visitor-model';
import { renderArtillery, toYaml, ARTILLERY_DIR } from '../render/artillery';
import { vegetaAttack, type VegetaTarget } from '../bench/vegeta';
import { RunAggregate, type RunSummary, type TimelinePoint } from './aggregate';

export const ARTILLERY_BIN = join(
  REPO_ROOT,
  '.cache',
  'tools',
  'artillery',
  'node_modules',
  '.bin',
  'artillery',
);
export const HISTORY_DIR = join(STATE_DIR, 'history');
export const RESULTS_DIR = join(REPO_ROOT, 'test-artifacts', 'load');

export interface RunOptions {
  scenario: Scenario;
  visitors: number;
  seconds: number;
  thresholds: Thresholds;
  baseUrl?: string;
  /** The lab's Pushgateway; the run's series go there every 5 s (none when null). */
  pushgatewayUrl?: string | null;
  pushHeaders?: Record<string, string>;
  testid?: string;
  /** One line of progress every 5 s. */
  progress?: (line: string) => void;
  /** Cancels the run (Ctrl-C, an abort condition): generators stop, figures so far are kept. */
  signal?: AbortSignal;
  /**
   * Continue the history an earlier run with the same test id wrote, instead of starting it
   * afresh (a game day that resizes its load keeps one history, so its invariants see every
   * order either load placed).
   */
  continueHistory?: boolean;
}

export interface RunResult {
  testid: string;
  scenario: string;
  visitors: number;
  seconds: number;
  startedAt: string;
  summary: RunSummary;
  timeline: TimelinePoint[];
  history: string;
  flashSale?: { products: number[]; stockEach: number };
  generators: { vegeta: boolean; artillery: boolean };
  /** The generators' own CPU, seconds (to tell whether they or the lab were the limit). */
  generatorCpuSeconds: number;
  /**
   * The open-model browsing (Vegeta) alone: requests it sent and the seconds its attacks were
   * asked to last. `seconds` above is the whole run, including Artillery's start and its last
   * journeys, so it cannot tell the rate the browse generator held.
   */
  browseLoad: { requests: number; seconds: number };
  pushed: boolean;
  aborted: boolean;
}

interface RunData {
  products: number[];
  categories: string[];
  flashProducts: number[];
  /** Logged-in buyers for the journeys that need them: their session cookies. */
  buyers: { email: string; cookie: string }[];
}

async function catalogue(
  client: EdgeClient,
): Promise<{ products: number[]; categories: string[] }> {
  const products: number[] = [];
  for (let page = 1; page <= 10 && products.length < 1000; page++) {
    const r = await client.request('GET', `/api/products?pageSize=100&page=${page}`);
    if (r.status !== 200) throw new Error(`the store's catalogue did not answer (${r.status})`);
    const items = (r.body as { items?: { id: number; stock: number }[] }).items ?? [];
    if (!items.length) break;
    products.push(...items.filter((p) => p.stock > 20).map((p) => p.id));
  }
  const cats = await client.request('GET', '/api/categories');
  const categories = ((cats.body as { items?: { slug: string }[] }).items ?? []).map((c) => c.slug);
  if (!products.length || !categories.length) throw new Error('the lab has no catalogue to browse');
  return { products, categories };
}

/** Flash-sale SKUs with little stock, created through the admin API (the lab's admin account). */
async function flashSaleSkus(
  client: EdgeClient,
  skus: number,
  stockEach: number,
): Promise<number[]> {
  const creds = JSON.parse(readFileSync(join(STATE_DIR, 'admin.json'), 'utf8')) as {
    email: string;
    password: string;
  };
  const admin = client.session('admin');
  const login = await admin.call('POST', '/api/auth/login', creds);
  if (login.status !== 200) throw new Error(`admin login failed (${login.status})`);
  const cats = await client.request('GET', '/api/categories');
  const category = ((cats.body as { items?: { slug: string }[] }).items ?? [])[0]?.slug;
  const ids: number[] = [];
  for (let i = 0; i < skus; i++) {
    const sku = `FLASH-${randomUUID().slice(0, 8).toUpperCase()}`;
    const r = await admin.call('POST', '/api/admin/products', {
      sku,
      name: `Flash sale ${sku}`,
      description: 'A flash-sale item of the load test',
      category,
      pricePaisa: 99_900,
      stock: stockEach,
    });
    if (r.status !== 201)
      throw new Error(`creating a flash-sale SKU failed (${r.status} ${r.text.slice(0, 200)})`);
    ids.push((r.body as { product: { id: number } }).product.id);
  }
  return ids;
}

/** Fills a page path's placeholders. */
function fill(path: string, d: RunData, i: number): string {
  return path
    .replace('{product}', String(d.products[i % d.products.length]))
    .replace('{category}', d.categories[i % d.categories.length]!)
    .replace('{page}', String(1 + (i % 5)))
    .replace('{term}', SEARCH_TERMS[i % SEARCH_TERMS.length]!);
}

/** Anonymous page views as Vegeta targets, page by page in their weighted mix. */
function browseTargets(baseUrl: string, d: RunData): () => VegetaTarget {
  const weighted: Call[][] = [];
  for (const p of BROWSE_PAGES)
    for (let w = 0; w < (p.weight ?? 0); w++) weighted.push([...p.calls]);
  let i = 0;
  let queue: Call[] = [];
  return () => {
    if (!queue.length) queue = [...weighted[(i * 37) % weighted.length]!];
    const call = queue.shift()!;
    const n = i++;
    return {
      method: call.method,
      url: `${baseUrl}${fill(call.path, d, n * 7919)}`,
      header: { accept: ['application/json'], origin: [baseUrl] },
    };
  };
}

function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

/**
 * Runs a scenario against the lab: anonymous browsing from Vegeta (open model, constant rate per
 * step), the journeys from Artillery (arrivals per second), for at most `seconds` plus a short
 * drain. Stops by itself, and on `signal`.
 */
export async function runScenario(o: RunOptions): Promise<RunResult> {
  const baseUrl = assertLocalUrl(o.baseUrl ?? STORE_URL).origin;
  const testid = o.testid ?? `${o.scenario.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(testid)) throw new Error(`bad test id "${testid}"`);
  const dir = join(RESULTS_DIR, testid);
  mkdirSync(dir, { recursive: true });
  mkdirSync(HISTORY_DIR, { recursive: true });
  const historyFile = join(HISTORY_DIR, `${testid}.jsonl`);
  OrderHistory.start(historyFile, o.continueHistory);
  const client = new EdgeClient({ baseUrl, maxSockets: 8 });
  const progress = o.progress ?? (() => undefined);
  const cat = await catalogue(client);
  const flashProducts = o.scenario.flashSale
    ? await flashSaleSkus(client, o.scenario.flashSale.skus, o.scenario.flashSale.stockEach)
    : [];
  const buyers: RunData['buyers'] = [];
  if (Object.keys(o.scenario.mix).some((j) => JOURNEYS[j as JourneyName]?.loggedIn)) {
    const n = Math.min(200, Math.max(10, Math.ceil(o.visitors)));
    progress(`    registering ${n} buyers before the run`);
    for (let i = 0; i < n; i++) {
      const s = await newShopper(`buyer${i}`, client);
      buyers.push({ email: s.label, cookie: s.cookieHeader() });
    }
  }
  client.close();
  const data: RunData = { ...cat, flashProducts, buyers };
  const started = Date.now();
  const browseLoad = { requests: 0, seconds: 0 };
  const agg = new RunAggregate(started);
  const children: ChildProcess[] = [];
  let aborted = false;
  const hardStop = setTimeout(() => stopAll(), (o.seconds + 90) * 1000);
  const stopAll = () => {
    aborted = true;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGINT');
    // A generator that drains slowly (Artillery waits for its VUs) is stopped for good.
    setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }, 10_000).unref();
  };
  o.signal?.addEventListener('abort', stopAll);

  // Artillery: the journeys.
  const statsFile = join(dir, 'artillery-stats.jsonl');
  writeFileSync(statsFile, '');
  const script = renderArtillery(o.scenario, {
    baseUrl,
    visitors: o.visitors,
    seconds: o.seconds,
    statsFile,
  });
  let artilleryDone: Promise<void> = Promise.resolve();
  if (script) {
    if (!existsSync(ARTILLERY_BIN))
      throw new Error(
        `Artillery is not installed at ${ARTILLERY_BIN}: run npm run load (it installs it)`,
      );
    const scriptFile = join(dir, 'artillery.yml');
    writeFileSync(scriptFile, toYaml(script));
    const dataFile = join(dir, 'artillery-data.json');
    writeFileSync(
      dataFile,
      JSON.stringify({
        ...data,
        terms: SEARCH_TERMS,
        baseUrl,
        caFile: CA_CERT,
        historyFile,
        timeoutMs: 10_000,
        budgetMs: 60_000,
        think: { ...THINK_TIME, scale: o.scenario.thinkScale },
      }),
    );
    const art = spawn(
      ARTILLERY_BIN,
      ['run', '--output', join(dir, 'artillery-report.json'), scriptFile],
      {
        env: {
          ...process.env,
          ARTILLERY_PLUGIN_PATH: ARTILLERY_DIR,
          ARTILLERY_DISABLE_TELEMETRY: 'true',
          NODE_EXTRA_CA_CERTS: CA_CERT,
          DHAKACART_LOAD_DATA: dataFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(art);
    const log: Buffer[] = [];
    art.stdout!.on('data', (b: Buffer) => log.push(b));
    art.stderr!.on('data', (b: Buffer) => log.push(b));
    artilleryDone = new Promise((resolve) =>
      art.on('exit', () => {
        writeFileSync(join(dir, 'artillery.log'), Buffer.concat(log));
        resolve();
      }),
    );
  }

  // Vegeta: anonymous browsing, one constant-rate attack per step of each phase.
  const browseShare = o.scenario.mix.browse ?? 0;
  const vegetaPids: number[] = [];
  const vegetaDone = (async () => {
    if (!browseShare) return;
    const callsPerPage = callsPerBrowsePage();
    const targets = browseTargets(baseUrl, data);
    for (const phase of scalePhases(o.scenario, o.seconds)) {
      const steps =
        phase.from === phase.to ? 1 : Math.max(1, Math.min(10, Math.round(phase.seconds / 5)));
      for (let s = 0; s < steps && !aborted; s++) {
        const share = phase.from + ((phase.to - phase.from) * (s + 0.5)) / steps;
        const rate =
          pageViewsPerSecond(o.visitors * browseShare * share, o.scenario.thinkScale) *
          callsPerPage;
        const seconds = Math.max(1, Math.round(phase.seconds / steps));
        if (rate < 0.5) {
          await new Promise((r) => setTimeout(r, seconds * 1000));
          continue;
        }
        const attack = vegetaAttack({ ratePerSecond: rate, seconds, targets });
        browseLoad.seconds += seconds;
        children.push(...attack.processes);
        vegetaPids.push(...attack.processes.map((p) => p.pid!).filter(Boolean));
        // Results come in completion order; the journey is told by the URL (cart views).
        for await (const r of attack.rows) {
          browseLoad.requests++;
          agg.addRequest(
            r.timestamp,
            r.url.includes('/api/cart') ? 'cart' : 'browse',
            r.code,
            r.latencyMs,
          );
        }
        await attack.done;
      }
    }
  })();

  // Artillery's periods, as the plugin writes them.
  let statsRead = 0;
  const readStats = () => {
    if (!existsSync(statsFile)) return;
    const lines = readFileSync(statsFile, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.slice(statsRead)) {
      const p = JSON.parse(line) as {
        period: number;
        counters: Record<string, number>;
        summaries: Record<string, { p50?: number; p95?: number; p99?: number }>;
      };
      const bySli = new Map<string, { codes: Record<string, number>; errors: number }>();
      for (const [k, v] of Object.entries(p.counters)) {
        const m =
          /^plugins\.metrics-by-endpoint\.([\w-]+)\.(codes|errors)\.(.+)$/.exec(k) ??
          /^dhakacart\.(checkout)\.(codes)\.(.+)$/.exec(k);
        if (!m) continue;
        const e = bySli.get(m[1]!) ?? { codes: {}, errors: 0 };
        if (m[2] === 'codes' && m[3] !== 'error') e.codes[m[3]!] = (e.codes[m[3]!] ?? 0) + v;
        else e.errors += v;
        bySli.set(m[1]!, e);
      }
      for (const [sli, e] of bySli) {
        const summary =
          sli === 'checkout'
            ? p.summaries['dhakacart.checkout.response_time']
            : p.summaries[`plugins.metrics-by-endpoint.response_time.${sli}`];
        agg.addPeriod(p.period + 5000, sli, e.codes, e.errors, summary);
      }
    }
    statsRead = lines.length;
  };

  // Progress and the Pushgateway, every 5 s.
  let pushed = false;
  let pushWarned = false;
  const tick = setInterval(() => {
    readStats();
    const elapsed = Math.round((Date.now() - started) / 1000);
    const last = agg.timeline().slice(-2, -1)[0];
    progress(
      `[${String(elapsed).padStart(4)}s/${o.seconds}s] ${o.visitors} visitors  ${last ? `${last.rps} req/s  p99 ${last.p99Ms} ms  errors ${last.errors}` : 'starting'}`,
    );
    if (o.pushgatewayUrl) {
      const s = agg.summary(o.thresholds, Math.max(1, elapsed));
      const samples: PushSample[] = [
        {
          name: 'dhakacart_load_visitors',
          help: 'Concurrent visitors the load test models',
          type: 'gauge',
          labels: {},
          value: o.visitors,
        },
        {
          name: 'dhakacart_load_requests_per_second',
          help: 'Requests per second over the last 5 s',
          type: 'gauge',
          labels: {},
          value: last?.rps ?? 0,
        },
        {
          name: 'dhakacart_load_p99_seconds',
          help: 'p99 latency over the last 5 s',
          type: 'gauge',
          labels: {},
          value: (last?.p99Ms ?? 0) / 1000,
        },
        ...Object.entries(s.journeys).flatMap(([sli, j]): PushSample[] => [
          {
            name: 'dhakacart_load_requests_total',
            help: 'Requests the load test sent, by SLO journey',
            type: 'counter',
            labels: { sli },
            value: j.requests,
          },
          {
            name: 'dhakacart_load_errors_total',
            help: 'Requests that failed (5xx or no answer), by SLO journey',
            type: 'counter',
            labels: { sli },
            value: j.errors,
          },
        ]),
      ];
      push(o.pushgatewayUrl, 'loadtest', { testid }, samples, o.pushHeaders)
        .then(() => {
          pushed = true;
        })
        .catch((e: Error) => {
          if (!pushWarned) progress(`    (the Pushgateway did not take the series: ${e.message})`);
          pushWarned = true;
        });
    }
  }, 5000);

  const cpuWatch = setInterval(() => {
    for (const c of children) if (c.pid && !vegetaPids.includes(c.pid)) vegetaPids.push(c.pid);
  }, 1000);
  let generatorCpu = 0;
  const cpuSample = setInterval(() => {
    generatorCpu = Math.max(generatorCpu, cpuSecondsOf(vegetaPids));
  }, 1000);
  try {
    await Promise.all([vegetaDone, artilleryDone]);
  } finally {
    clearInterval(tick);
    clearInterval(cpuWatch);
    clearInterval(cpuSample);
    clearTimeout(hardStop);
    o.signal?.removeEventListener('abort', stopAll);
  }
  readStats();
  const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
  return {
    testid,
    scenario: o.scenario.name,
    visitors: o.visitors,
    seconds,
    startedAt: new Date(started).toISOString(),
    summary: agg.summary(o.thresholds, seconds),
    timeline: agg.timeline(),
    history: historyFile,
    flashSale: o.scenario.flashSale
      ? { products: flashProducts, stockEach: o.scenario.flashSale.stockEach }
      : undefined,
    generators: { vegeta: browseShare > 0, artillery: !!script },
    generatorCpuSeconds: Math.round(generatorCpu * 10) / 10,
    browseLoad,
    pushed,
    aborted,
  };
}
