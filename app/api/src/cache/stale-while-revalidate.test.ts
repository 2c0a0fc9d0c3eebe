import { randomUUID } from 'node:crypto';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { startRedis, type StartedRedis } from '../test-support/containers';
import { createCache } from './cache';
import { createRedis, type Redis } from './redis';

// Stale while revalidate, on real Redis: past its freshness an entry still answers at once while
// one background load refreshes it, so a catalogue read waits for PostgreSQL only for a key
// nobody read for longer than the bound. (The edge's cached copies expire together; without
// this every expiry was a wave of database loads that customers waited for.)

let started: StartedRedis;
let redis: Redis;
beforeAll(async () => {
  started = await startRedis();
  redis = createRedis(
    {
      host: started.host,
      port: started.port,
      password: started.password,
      masterName: 'x',
      tls: false,
    },
    createLogger('silent'),
  );
  for (let i = 0; i < 50 && redis.status !== 'ready'; i++)
    await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await started?.container.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loader whose answers are numbered and that takes `ms` to answer. */
function slowLoader(ms: number) {
  const l = {
    calls: 0,
    load: async () => {
      const n = ++l.calls;
      await sleep(ms);
      return { version: n };
    },
  };
  return l;
}

const cacheWith = (staleWhileRevalidateSeconds: number) =>
  createCache({
    redis,
    ttlSeconds: 1,
    staleWhileRevalidateSeconds,
    metrics: createMetrics(),
    log: createLogger('silent'),
  });

test('past its freshness an entry answers at once, and one background load refreshes it', async () => {
  const cache = cacheWith(3);
  const key = `swr-${randomUUID()}`;
  const loader = slowLoader(400);
  expect(await cache.getOrLoad(key, loader.load)).toEqual({ version: 1 });
  await sleep(1200); // past the 1 s freshness, within 1 + 3 s

  const t = performance.now();
  const reads = await Promise.all(
    Array.from({ length: 5 }, () => cache.getOrLoad(key, loader.load)),
  );
  expect(performance.now() - t).toBeLessThan(300); // did not wait for the 400 ms load
  expect(reads).toEqual(Array(5).fill({ version: 1 }));

  await sleep(600); // the background load has finished
  expect(await cache.getOrLoad(key, loader.load)).toEqual({ version: 2 });
  expect(loader.calls).toBe(2); // five stale reads started one refresh
});

test('an entry older than freshness plus the window is loaded while the reader waits', async () => {
  const cache = cacheWith(1);
  const key = `swr-${randomUUID()}`;
  const loader = slowLoader(300);
  await cache.getOrLoad(key, loader.load);
  await sleep(2300); // past 1 + 1 s
  const t = performance.now();
  expect(await cache.getOrLoad(key, loader.load)).toEqual({ version: 2 });
  expect(performance.now() - t).toBeGreaterThanOrEqual(290);
});

test('without the window (the default), a read past freshness waits for the load', async () => {
  const cache = cacheWith(0);
  const key = `swr-${randomUUID()}`;
  const loader = slowLoader(300);
  await cache.getOrLoad(key, loader.load);
  await sleep(1200);
  expect(await cache.getOrLoad(key, loader.load)).toEqual({ version: 2 });
});

test('a failing background load keeps the entry answering, and a later read retries', async () => {
  const cache = cacheWith(3);
  const key = `swr-${randomUUID()}`;
  let fail = false;
  let calls = 0;
  const load = async () => {
    calls++;
    if (fail) throw new Error('database unavailable');
    return { version: calls };
  };
  await cache.getOrLoad(key, load);
  await sleep(1200);
  fail = true;
  expect(await cache.getOrLoad(key, load)).toEqual({ version: 1 });
  await sleep(100);
  fail = false;
  expect(await cache.getOrLoad(key, load)).toEqual({ version: 1 }); // stale, starts a refresh
  await sleep(100);
  expect(await cache.getOrLoad(key, load)).toEqual({ version: 3 });
});

test('two replicas on one Redis load a key once: the miss, and the refresh past freshness', async () => {
  // Two caches are two api replicas; the Redis load lock lets one of them reach PostgreSQL.
  const a = cacheWith(3);
  const b = cacheWith(3);
  const key = `swr-${randomUUID()}`;
  const loader = slowLoader(200);
  const [ra, rb] = await Promise.all([
    a.getOrLoad(key, loader.load),
    b.getOrLoad(key, loader.load),
  ]);
  expect([ra, rb]).toEqual([{ version: 1 }, { version: 1 }]);
  expect(loader.calls).toBe(1); // the second replica waited for the first one's value

  await sleep(1200); // stale: each replica starts its own background refresh, the lock keeps one
  await Promise.all([a.getOrLoad(key, loader.load), b.getOrLoad(key, loader.load)]);
  await sleep(500);
  expect(loader.calls).toBe(2);
  expect(await b.getOrLoad(key, loader.load)).toEqual({ version: 2 });
});
