import type { Pool } from 'pg';
import type { Redis } from './cache/redis';
import { createReadiness } from './health';
import { createMetrics } from './metrics';

// The dependencies are counted, not mocked for their answers: what is proved is how often a
// burst of readiness checks reaches PostgreSQL and Redis.
function counting(pgUp = true) {
  const calls = { pg: 0, redis: 0 };
  const pool = {
    query: () => {
      calls.pg++;
      return pgUp ? Promise.resolve({ rows: [] }) : Promise.reject(new Error('down'));
    },
  } as unknown as Pool;
  const redis = {
    ping: () => {
      calls.redis++;
      return Promise.resolve('PONG');
    },
  } as unknown as Redis;
  return { calls, pool, redis };
}

test('a burst of readiness checks probes the dependencies once; a later check probes again', async () => {
  const d = counting();
  const readiness = createReadiness(d.pool, d.redis, createMetrics('t'), 200);
  const answers = await Promise.all(Array.from({ length: 8 }, () => readiness.check()));
  expect(answers.every((a) => a.ready && a.status === 'ready')).toBe(true);
  expect(d.calls).toEqual({ pg: 1, redis: 1 });
  await new Promise((r) => setTimeout(r, 250));
  await readiness.check();
  expect(d.calls).toEqual({ pg: 2, redis: 2 });
});

test('draining fails readiness at once, even while a probe result is still fresh', async () => {
  const d = counting();
  const readiness = createReadiness(d.pool, d.redis, createMetrics('t'), 60_000);
  expect((await readiness.check()).ready).toBe(true);
  readiness.drain();
  expect(await readiness.check()).toMatchObject({ ready: false, status: 'shutting_down' });
  expect(d.calls.pg).toBe(1);
});

test('a database that is down makes the replica degraded, not unready, and sets the gauge', async () => {
  const d = counting(false);
  const metrics = createMetrics('t');
  const readiness = createReadiness(d.pool, d.redis, metrics, 0);
  expect(await readiness.check()).toMatchObject({
    ready: true,
    status: 'degraded',
    checks: { postgres: 'down', redis: 'ok' },
  });
  const gauge = (await metrics.degraded.get()).values.find(
    (v) => v.labels.dependency === 'postgres',
  );
  expect(gauge?.value).toBe(1);
});
