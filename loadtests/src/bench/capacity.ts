/**
 * `npm run bench:capacity`: what the lab costs idle and what it serves, measured in one run on
 * this machine beside the machine's own ceilings (nginx static, HAProxy TLS -> nginx, bare
 * Express), so that ratios compare across runs on a shared, noisy machine. Writes
 * bench/results/capacity.json with the command that produced it. A benchmark reports; it
 * asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { decimalNumberOf, wholeNumberOf } from '@dhakacart/numeric-text';
import {
  CA_DIR,
  edge,
  REPO_ROOT,
  run,
  sleep,
  serviceImage,
  STACK,
  STORE_URL,
  unhealthyServices,
} from '@dhakacart/lab-client';
import { browseMixPaths, writePathsFile } from './browse-mix';
import { checkoutAtRate } from './checkout-rate';
import {
  cpuTimes,
  execsPerMinute,
  newestLabStart,
  reapedChildrenCpuSeconds,
  sampleCpu,
  settleWaitMs,
  waitForQuietHost,
  type CpuSample,
} from './cpu';
import { startReferences } from './references';
import { splitByCache } from './cache-split';
import { STORM_CALM_P99_MS, stormSeconds } from './cold-storm';
import { percentile, percentilePerSecond, vegetaAttack } from './vegeta';
import { runWrk, type WrkResult } from './wrk';

const HELP = `Usage: npm run bench:capacity -- [options]

Measures, in one run with the lab up: the same-run references (nginx static, HAProxy TLS ->
nginx, bare Express 5 from memory; wrk -t1 -c100), the idle lab's CPU share and exec health
checks per minute, the cached product list, the browse mix (500 products, 20 search terms)
and index.html through the TLS edge, the browse mix at half the bare-Express ceiling
(constant rate, Vegeta: a 10 s warm-up at that rate on the cold micro-cache, reported apart
with how long its miss storm lasted, then --seconds measured: their p99, the p99 of each
second and how many kept 100 ms, the host's busy share and Vegeta's own cores, and the edge's hits
and misses apart: their p99s, the misses' share of requests and of those over 100 ms), the
browse mix with every catalogue cache off (the api redeployed for the measurement and rolled
back after it), and checkout at a steady order rate.
Writes bench/results/capacity.json and prints a table.

Options:
  --seconds N        length of each wrk measurement (default 20)
  --idle-samples N   60 s idle CPU samples (default 3; 0 skips)
  --idle-seconds N   length of one idle sample (default 60)
  --settle-minutes N idle samples start N minutes after the newest lab container started
                     (default 5, as the goal is defined; 0 starts at once)
  --orders-rate N    checkout orders per second (default 50; 0 skips)
  --orders-seconds N length of the checkout measurement (default 30), once the host is at rest
                     (under 30% busy for 10 s, at most 180 s) and after a 5 s warm-up
  --no-cache-off     skip the cache-off measurement (it redeploys the api twice)
  --json             print the results as JSON
  -h, --help         this help
`;

/** A flag's number: decimal digits, with a decimal point unless `whole` (ADR 0004). */
const num = (v: string | undefined, d: number, name: string, max: number, whole = false) => {
  if (v === undefined) return d;
  const n = whole ? wholeNumberOf(v) : decimalNumberOf(v);
  if (!(n >= 0 && n <= max))
    throw new Error(
      `--${name} must be ${whole ? 'a whole number' : 'a number'} from 0 to ${max} written in digits, got "${v}"`,
    );
  return n;
};

/** Checkout runs this long at its rate before it measures (the stage before restarts the api). */
const CHECKOUT_WARMUP_SECONDS = 5;
/** "At rest" before checkout: the idle lab is about 10% busy; a redeploy's tail is far above 30%. */
const QUIET = { belowShare: 0.3, windowSeconds: 10, maxSeconds: 180 };

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function categories(): Promise<string[]> {
  const r = await edge().request('GET', '/api/categories');
  return ((r.body as { items?: { slug: string }[] }).items ?? []).map((c) => c.slug);
}

async function productRange(): Promise<{ first: number; count: number }> {
  const r = await edge().request('GET', '/api/products?pageSize=100&page=1');
  const items = (r.body as { items?: { id: number }[] }).items ?? [];
  const total = (r.body as { total?: number }).total ?? 0;
  const first = Math.min(...items.map((i) => i.id));
  return { first, count: Math.min(Math.max(500, 0), total) };
}

/**
 * The open model runs this long at full rate before its measured seconds. It starts on a cold
 * micro-cache (its entries live 5 s, and the stage before was index.html), so every catalogue
 * URL misses at once; over 33 attacks that storm lasted 2-9 s (ADR 0206). Its figures are
 * reported apart (\`coldStart*\`, \`coldStormSeconds\`), and the steady state is what follows.
 */
const OPEN_MODEL_WARMUP_SECONDS = 10;

/** The browse mix at a constant rate (Vegeta): the latency a given load gets, not the ceiling. */
async function browseAtRate(paths: string[], rps: number, seconds: number) {
  let i = Math.floor(Math.random() * paths.length);
  const warmup = OPEN_MODEL_WARMUP_SECONDS;
  const attack = vegetaAttack({
    ratePerSecond: rps,
    seconds: warmup + seconds,
    timeoutSeconds: 5,
    // Decoded after the attack, so the generator's own JSON work does not compete with the lab
    // for the two cores; and a few hundred kept-alive connections: at about 1 ms a request,
    // 2,500 req/s needs a handful in flight, while thousands of new TLS handshakes at the start
    // are a storm no visitor population produces (each visitor's browser keeps its connection).
    deferRows: true,
    maxConnections: 256,
    targets: () => ({
      method: 'GET',
      url: STORE_URL + paths[i++ % paths.length]!,
      header: { accept: ['application/json'] },
    }),
  });
  // What the machine did while the attack ran, read the moment the attack process is reaped (the
  // decoding after it is not counted): the host's busy share, and Vegeta's own CPU. The load
  // generator shares the two cores with the lab; what it takes, the lab cannot use.
  const host0 = cpuTimes();
  const generator0 = reapedChildrenCpuSeconds();
  const t0 = Date.now();
  const during = attack.done.then(() => {
    const host1 = cpuTimes();
    return {
      hostBusyShare: round((host1.busy - host0.busy) / Math.max(1, host1.total - host0.total)),
      generatorCores: round(
        (reapedChildrenCpuSeconds() - generator0) / Math.max(1, (Date.now() - t0) / 1000),
      ),
    };
  });
  const rows: { at: number; ms: number; cache: string | null }[] = [];
  let errors = 0;
  for await (const r of attack.rows) {
    rows.push({ at: r.timestamp, ms: r.latencyMs, cache: r.cache });
    if (r.code < 200 || r.code >= 400) errors++;
  }
  await attack.done;
  const ms = rows.map((r) => r.ms);
  // The warm-up meets a cold micro-cache: every catalogue read is a miss at once, and HAProxy's
  // cache does not collapse concurrent misses. Reported apart, so the steady state and the cold
  // start are both visible rather than one blurred figure.
  // A loop, not Math.min(...rows): a spread of some 100,000 arguments overflows the stack.
  const start = rows.reduce((m, r) => Math.min(m, r.at), Infinity);
  const steadyFrom = start + warmup * 1000;
  const steadyRows = rows.filter((r) => r.at >= steadyFrom);
  const steady = steadyRows.map((r) => r.ms);
  const cold = rows.filter((r) => r.at < steadyFrom).map((r) => r.ms);
  const round0 = (v: number) => Math.round(v);
  const coldPerSecond = percentilePerSecond(rows, 99, start, steadyFrom).map(round0);
  const perSecond = percentilePerSecond(rows, 99, steadyFrom, steadyFrom + seconds * 1000).map(
    round0,
  );
  return {
    ...(await during),
    requests: ms.length,
    rps: Math.round(ms.length / (warmup + seconds)),
    /** Over the whole attack, warm-up included. */
    p50Ms: round(percentile(ms, 50), 1),
    p99Ms: round(percentile(ms, 99), 1),
    steadySeconds: seconds,
    steadyRequests: steady.length,
    steadyP99Ms: round(percentile(steady, 99), 1),
    coldStartSeconds: warmup,
    coldStartP99Ms: round(percentile(cold, 99), 1),
    coldStartP99PerSecondMs: coldPerSecond,
    /** Seconds until two in a row had p99 <= 300 ms; null if the warm-up ended still stormy. */
    coldStormSeconds: stormSeconds(coldPerSecond, STORM_CALM_P99_MS),
    /** The p99 of each second after the cold start, and how many of those seconds kept 100 ms. */
    steadyP99PerSecondMs: perSecond,
    steadySecondsWithin100Ms: perSecond.filter((v) => v <= 100).length,
    /** After the cold start, the edge's hits and misses apart: is the tail the misses or the host? */
    steadyByCache: splitByCache(steadyRows, 100),
    errors,
  };
}

/**
 * Runs `measure` with the api's cache and the edge's off: the api is updated to
 * CACHE_ENABLED=false and CATALOGUE_MAX_AGE_SECONDS=0 (no-store, so the edge keeps nothing),
 * then rolled back to the spec it had, whatever happens.
 */
async function withCatalogueCacheOff<T>(measure: () => Promise<T>, say: (s: string) => void) {
  const api = `${STACK}_api`;
  const update = await run('docker', [
    'service',
    'update',
    '--detach=false',
    '--quiet',
    '--env-add',
    'CACHE_ENABLED=false',
    '--env-add',
    'CATALOGUE_MAX_AGE_SECONDS=0',
    api,
  ]);
  try {
    if (update.code !== 0) throw new Error(`docker service update: ${update.stderr.trim()}`);
    say('    the api runs without caches');
    return await measure();
  } finally {
    const back = await run('docker', ['service', 'rollback', '--detach=false', '--quiet', api]);
    say(
      back.code === 0
        ? '    the api is back on its own spec'
        : `    could not roll the api back (${back.stderr.trim()}): run npm run lab`,
    );
  }
}

function row(name: string, w: WrkResult, ref?: number): string {
  const ratio = ref ? `${round(w.rps / ref, 2)}x` : '';
  const hit = w.hits + w.misses ? ` hit ${Math.round((100 * w.hits) / (w.hits + w.misses))}%` : '';
  return `${name.padEnd(34)} ${String(w.rps).padStart(7)} req/s  p99 ${String(round(w.p99Ms, 1)).padStart(7)} ms  errors ${String(w.errors).padStart(5)}  ${ratio.padStart(6)}${hit}`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        seconds: { type: 'string' },
        'idle-samples': { type: 'string' },
        'idle-seconds': { type: 'string' },
        'settle-minutes': { type: 'string' },
        'orders-rate': { type: 'string' },
        'orders-seconds': { type: 'string' },
        'no-cache-off': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`bench:capacity: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let seconds: number, idleSamples: number, idleSeconds: number, rate: number, rateSeconds: number;
  let settleMinutes: number;
  try {
    seconds = num(values.seconds, 20, 'seconds', 600);
    idleSamples = num(values['idle-samples'], 3, 'idle-samples', 10, true);
    idleSeconds = num(values['idle-seconds'], 60, 'idle-seconds', 600);
    settleMinutes = num(values['settle-minutes'], 5, 'settle-minutes', 60);
    rate = num(values['orders-rate'], 50, 'orders-rate', 1000);
    rateSeconds = num(values['orders-seconds'], 30, 'orders-seconds', 600);
  } catch (e) {
    process.stderr.write(`bench:capacity: ${(e as Error).message}\n`);
    return 2;
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const unhealthy = await unhealthyServices();
  if (!unhealthy || unhealthy.length) {
    process.stderr.write(
      `bench:capacity: the lab is not up and healthy (${unhealthy?.join(', ') || 'no stack deployed'}); run npm run lab\n`,
    );
    return 2;
  }
  const figures: Record<string, unknown> = {};

  if (idleSamples > 0) {
    say(
      `==> idle lab: ${idleSamples} x ${idleSeconds} s of host CPU, and exec health checks per minute`,
    );
    for (;;) {
      const wait = settleWaitMs(await newestLabStart(), Date.now(), settleMinutes);
      if (wait <= 0) break;
      say(
        `    the newest lab container started under ${settleMinutes} min ago: ${Math.ceil(wait / 1000)} s until the samples`,
      );
      await sleep(Math.min(wait, 30_000));
    }
    const samples: (CpuSample & { execsPerMinute: number })[] = [];
    for (let i = 0; i < idleSamples; i++) {
      const [cpu, execs] = await Promise.all([sampleCpu(idleSeconds), execsPerMinute(idleSeconds)]);
      samples.push({ ...cpu, execsPerMinute: execs });
      say(
        `    sample ${i + 1}: host ${round(cpu.hostShare * 100, 1)}%, lab ${round(cpu.labShare * 100, 1)}% (engine ${round(cpu.engineShare * 100, 1)}%), ${execs} execs/min; steal ${round(cpu.stealShare * 100, 1)}% (not counted)`,
      );
    }
    const mean = (k: 'hostShare' | 'engineShare' | 'labShare' | 'stealShare' | 'execsPerMinute') =>
      samples.reduce((a, s) => a + s[k], 0) / samples.length;
    figures.idle = {
      hostCpuPercent: round(mean('hostShare') * 100, 1),
      labCpuPercent: round(mean('labShare') * 100, 1),
      engineCpuPercent: round(mean('engineShare') * 100, 1),
      stealPercent: round(mean('stealShare') * 100, 1),
      settleMinutes,
      execHealthChecksPerMinute: Math.round(mean('execsPerMinute')),
      samples: samples.map((s) => ({
        hostCpuPercent: round(s.hostShare * 100, 1),
        labCpuPercent: round(s.labShare * 100, 1),
        engineCpuPercent: round(s.engineShare * 100, 1),
        stealPercent: round(s.stealShare * 100, 1),
        execsPerMinute: s.execsPerMinute,
      })),
    };
  }

  say('==> same-run references (wrk -t1 -c100)');
  const refs = await startReferences({
    webImage: await serviceImage('web'),
    haproxyImage: await serviceImage('edge'),
    // The edge's own localhost certificate and key, signed by the lab CA.
    tlsPem:
      readFileSync(join(CA_DIR, 'server.crt'), 'utf8') +
      readFileSync(join(CA_DIR, 'server.key'), 'utf8'),
  });
  let nginx: WrkResult, haproxy: WrkResult, express: WrkResult;
  try {
    nginx = await runWrk({ url: refs.urls.nginx, seconds });
    say(`    ${row('nginx static', nginx)}`);
    haproxy = await runWrk({ url: refs.urls.haproxyTls, seconds });
    say(`    ${row('HAProxy TLS -> nginx', haproxy)}`);
    express = await runWrk({ url: refs.urls.express, seconds });
    say(`    ${row('bare Express 5 from memory', express)}`);
  } finally {
    await refs.stop();
  }
  figures.references = { nginxStatic: nginx, haproxyTlsToNginx: haproxy, bareExpress: express };

  say('==> through the TLS edge');
  const slugs = await categories();
  const range = await productRange();
  const paths = browseMixPaths(range.first, range.count, slugs);
  const pathsFile = writePathsFile(paths);
  const browseMix = () =>
    runWrk({ url: STORE_URL, seconds, script: 'browse-mix.lua', args: [pathsFile] });
  const productList = await runWrk({
    url: `${STORE_URL}/api/products?page=1&pageSize=12`,
    seconds,
  });
  say(`    ${row('product list, page 1 (cached)', productList, haproxy.rps)}`);
  const browse = await browseMix();
  say(`    ${row('browse mix', browse, express.rps)}`);
  const index = await runWrk({ url: `${STORE_URL}/index.html`, seconds });
  say(`    ${row('storefront index.html', index, haproxy.rps)}`);
  const halfRate = Math.max(1, Math.round(express.rps / 2));
  const atHalf = await browseAtRate(paths, halfRate, seconds);
  say(
    `    ${'browse mix at 0.5x Express (Vegeta)'.padEnd(34)} ${String(atHalf.rps).padStart(7)} req/s  p99 ${String(atHalf.steadyP99Ms).padStart(7)} ms  errors ${String(atHalf.errors).padStart(5)}  (the ${atHalf.steadySeconds} s after a ${atHalf.coldStartSeconds} s warm-up at that rate)`,
  );
  say(
    `    ${''.padEnd(34)} cold start: p99 ${atHalf.coldStartP99Ms} ms in the warm-up; ${atHalf.coldStormSeconds === null ? `still storming after ${atHalf.coldStartSeconds} s` : `the storm lasted ${atHalf.coldStormSeconds} s`} (p99 of each second: ${atHalf.coldStartP99PerSecondMs.join(', ')} ms)`,
  );
  say(
    `    ${''.padEnd(34)} host ${Math.round(100 * atHalf.hostBusyShare)}% busy, of which Vegeta ${atHalf.generatorCores} of ${cpus().length} cores; ${atHalf.steadySecondsWithin100Ms} of ${atHalf.steadyP99PerSecondMs.length} steady seconds had p99 <= 100 ms`,
  );
  const split = atHalf.steadyByCache;
  say(
    `    ${''.padEnd(34)} misses ${(100 * split.missShare).toFixed(1)}% of requests (p99 ${split.missP99Ms} ms; hits ${split.hitP99Ms} ms) and ${(100 * split.slowMissShare).toFixed(0)}% of the ${split.slowRequests} over 100 ms`,
  );
  let cacheOff: WrkResult | null = null;
  if (!values['no-cache-off']) {
    say(
      '==> the browse mix with the catalogue caches off (the api is redeployed, then rolled back)',
    );
    cacheOff = await withCatalogueCacheOff(browseMix, say);
    say(`    ${row('browse mix, caches off', cacheOff, express.rps)}`);
  }
  figures.edge = {
    cachedProductList: { ...productList, vsHaproxyTls: round(productList.rps / haproxy.rps) },
    browseMix: {
      ...browse,
      products: range.count,
      searchTerms: 20,
      categories: slugs.length,
      cacheHitRatio:
        browse.hits + browse.misses ? round(browse.hits / (browse.hits + browse.misses)) : null,
      vsBareExpress: round(browse.rps / express.rps),
      vsCacheOff: cacheOff ? round(browse.rps / Math.max(1, cacheOff.rps)) : null,
    },
    browseMixAtHalfExpress: { ...atHalf, targetRps: halfRate },
    browseMixCacheOff: cacheOff
      ? { ...cacheOff, vsBareExpress: round(cacheOff.rps / express.rps) }
      : null,
    indexHtml: { ...index, vsHaproxyTls: round(index.rps / haproxy.rps) },
  };

  if (rate > 0) {
    say(
      `==> checkout at ${rate} orders/s for ${rateSeconds} s after a ${CHECKOUT_WARMUP_SECONDS} s warm-up at that rate (an open model, logged-in customers, 1-3 items)`,
    );
    // Checkout is measured on a lab at rest: right after the cache-off mode's rollback the host
    // is still starting replicas and removing the old ones, and a first run measured that tail
    // (p99 3.3 s, against 0.3-0.7 s on the same lab left alone).
    const quiet = await waitForQuietHost(QUIET);
    say(
      quiet.settled
        ? `    the host was quiet (under ${QUIET.belowShare * 100}% busy for ${QUIET.windowSeconds} s) after ${quiet.waitedSeconds} s`
        : `    the host did not quieten within ${QUIET.maxSeconds} s (${Math.round(quiet.lastShare * 100)}% busy): measuring anyway`,
    );
    const c = await checkoutAtRate({
      ordersPerSecond: rate,
      seconds: rateSeconds,
      warmupSeconds: CHECKOUT_WARMUP_SECONDS,
      onProgress: say,
    });
    say(
      `    placed ${c.orders.placed}/${c.orders.sent} (${c.orders.perSecond}/s, ${c.orders.notStarted} not started), p99 ${c.orders.p99Ms} ms; cart p99 ${c.cart.p99Ms} ms, ${c.cart.failed} failed`,
    );
    say(
      `    warm-up (not counted): ${c.warmup.placed} placed, ${c.warmup.failed} failed, p99 ${c.warmup.p99Ms} ms`,
    );
    if (Object.keys(c.failures).length) say(`    failures: ${JSON.stringify(c.failures)}`);
    figures.checkout = { ...c, quietWait: quiet };
  }

  const report = {
    command: `npm run bench:capacity -- ${process.argv.slice(2).join(' ')}`.trim(),
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    engine: (await run('docker', ['version', '--format', '{{.Server.Version}}'])).stdout.trim(),
    figures,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'capacity.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(
    values.json ? JSON.stringify(report, null, 2) + '\n' : 'wrote bench/results/capacity.json\n',
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench:capacity: ${e.message}\n`);
    process.exit(1);
  },
);
