/**
 * `npm run bench:api`: one API process on real PostgreSQL and Redis containers, driven by
 * autocannon, with the catalogue cache on and then off. Writes bench/results/api.json.
 * A benchmark reports figures; it asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decimalNumberOf, wholeNumberOf } from '@dhakacart/numeric-text';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config';
import { createPool } from '../src/data/pool';
import { seedCatalog } from '../src/seed/seed';
import { freePort, startPostgres, startRedis } from '../src/test-support/containers';
import { customersWithCart, newKey, checkoutBody } from '../src/test-support/fixtures';
import { API_ROOT, migrate, stackEnv } from '../src/test-support/stack';

const HELP = `Usage: npm run bench:api -- [--duration S] [--connections N] [--json]

Benchmarks one API process (real PostgreSQL + Redis in containers) with autocannon for
product list, product detail, search, add to cart and checkout, with the cache on and off.
Writes bench/results/api.json (repository root) and prints a table.
`;

interface Figures {
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(HELP);
  const duration = decimalNumberOf(values.duration);
  const connections = wholeNumberOf(values.connections);
  if (!(duration >= 1 && duration <= 120) || !(connections >= 1 && connections <= 1000)) {
    process.stderr.write('bench: --duration must be 1..120 s and --connections 1..1000\n');
    process.exit(2);
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);

  say('==> starting PostgreSQL and Redis containers');
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const dir = mkdtempSync(join(tmpdir(), 'dhakacart-bench-'));
  const env = stackEnv(pg, redis, dir);
  await migrate(env);
  const config = loadConfig(env);
  const db = createPool(config.db);
  await seedCatalog(db);
  const productId = (await db.query(`SELECT id FROM products ORDER BY id LIMIT 1`)).rows[0]
    .id as number;
  await db.query('UPDATE products SET stock = 1000000 WHERE id = $1', [productId]);

  const results: Record<string, Record<string, Figures>> = {};
  for (const cache of [true, false]) {
    const mode = cache ? 'cacheOn' : 'cacheOff';
    say(`==> API with the cache ${cache ? 'on' : 'off'}`);
    const port = await freePort();
    const api = await startApiProcess({
      ...env,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      CACHE_ENABLED: String(cache),
      LOG_LEVEL: 'warn',
      PAYMENT_LATENCY_MS: '0',
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      results[mode] = {};
      const run = async (name: string, opts: Partial<autocannon.Options>) => {
        say(`    ${name}: ${duration}s × ${connections} connections`);
        // autocannon's summary has no p95, so percentiles come from every response's own time.
        const times: number[] = [];
        const r = await new Promise<autocannon.Result>((resolve, reject) => {
          const inst = autocannon(
            { url, connections, duration, ...opts } as autocannon.Options,
            (err, res) => (err ? reject(err) : resolve(res)),
          );
          inst.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
        });
        times.sort((a, b) => a - b);
        const pct = (q: number) =>
          Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) /
          10;
        results[mode]![name] = {
          rps: Math.round(r.requests.average),
          p50Ms: pct(0.5),
          p95Ms: pct(0.95),
          p99Ms: pct(0.99),
          non2xx: r.non2xx,
          errors: r.errors,
        };
      };
      await run('productList', {
        requests: [{ method: 'GET', path: '/api/products?page=1&pageSize=24' }],
      });
      await run('productDetail', {
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/products/${1 + Math.floor(Math.random() * 2000)}`,
            }),
          },
        ],
      });
      await run('search', {
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/products?q=${['rice', 'saree', 'phone', 'juice', 'cricket'][Math.floor(Math.random() * 5)]}`,
            }),
          },
        ],
      });
      const shoppers = await customersWithCart(url, db, config.session.key, 200, productId);
      let i = 0;
      await run('addToCart', {
        requests: [
          {
            method: 'PUT',
            setupRequest: (req) => ({
              ...req,
              path: `/api/cart/items/${productId}`,
              headers: {
                cookie: shoppers[i++ % shoppers.length]!.cookie!,
                origin: env.PUBLIC_ORIGIN,
                'content-type': 'application/json',
              },
              body: JSON.stringify({ quantity: 1 + (i % 5) }),
            }),
          },
        ],
      });
      // Each checkout empties its cart, so every request uses a fresh customer with a cart.
      const buyers = await customersWithCart(
        url,
        db,
        config.session.key,
        Math.min(20000, duration * 600),
        productId,
      );
      let j = 0;
      await run('checkout', {
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              path: '/api/orders',
              headers: {
                cookie: buyers[j++ % buyers.length]!.cookie!,
                origin: env.PUBLIC_ORIGIN,
                'content-type': 'application/json',
                'idempotency-key': newKey(),
              },
              body: JSON.stringify(checkoutBody('cod')),
            }),
          },
        ],
      });
    } finally {
      await stopProcess(api);
    }
  }

  const ratio = (k: string) =>
    Math.round((results.cacheOn![k]!.rps / Math.max(1, results.cacheOff![k]!.rps)) * 100) / 100;
  const report = {
    command: `npm run bench:api -- --duration ${duration} --connections ${connections}`,
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    setup:
      'one API process (tsx), PostgreSQL 15 and Redis 7 containers from the project images, autocannon on the same host',
    results,
    cacheSpeedup: Object.fromEntries(
      ['productList', 'productDetail', 'search'].map((k) => [k, ratio(k)]),
    ),
  };
  const out = join(API_ROOT, '..', '..', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'api.json'), JSON.stringify(report, null, 2) + '\n');
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    say('\nscenario        cache   rps     p50 ms  p95 ms  p99 ms  non-2xx');
    for (const [mode, rs] of Object.entries(results))
      for (const [k, f] of Object.entries(rs))
        say(
          `${k.padEnd(15)} ${mode === 'cacheOn' ? 'on ' : 'off'}  ${String(f.rps).padStart(6)}  ${String(f.p50Ms).padStart(6)}  ${String(f.p95Ms).padStart(6)}  ${String(f.p99Ms).padStart(6)}  ${f.non2xx}`,
        );
    say(
      `\ncache speed-up (rps on/off): ${JSON.stringify(report.cacheSpeedup)}\nwrote bench/results/api.json`,
    );
  }
  await db.end();
  await Promise.all([pg.container.stop(), redis.container.stop()]);
  rmSync(dir, { recursive: true, force: true });
}

function startApiProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'main.ts')], {
    cwd: API_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const t = setInterval(async () => {
      const ok = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        clearInterval(t);
        resolve(child);
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(t);
      reject(new Error(`api exited ${code}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
