import Redis from 'ioredis';
import { checkoutBody, newKey, newProduct, userClient } from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';
import { loadConfig } from '../config';
import { PAYMENT_BEHAVIOUR_KEY } from './payment-behaviour';

// The lab's runtime payment setting on a real api, Redis and PostgreSQL: the chaos experiments
// write one Redis key; customers cannot touch it; production's configuration never reads it.

let stack: TestStack;
let redis: Redis;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BEHAVIOUR_SOURCE: 'redis' } });
  redis = new Redis({
    host: stack.redis!.host,
    port: stack.redis!.port,
    password: stack.redis!.password,
  });
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

async function order(method: 'card' | 'cod') {
  const p = await newProduct(stack.db, 5);
  const { client } = await userClient(stack.api.url, stack.db);
  await client.put(`/api/cart/items/${p}`, { quantity: 1 });
  return client.post('/api/orders', checkoutBody(method), {
    headers: { 'idempotency-key': newKey() },
  });
}

const waitForCache = () => new Promise((r) => setTimeout(r, 1100));

test('a failing provider set at runtime declines card payments (402, never 5xx); removing it restores them', async () => {
  await redis.set(PAYMENT_BEHAVIOUR_KEY, JSON.stringify({ latencyMs: 0, failureRate: 1 }));
  await waitForCache();
  const declined = await order('card');
  expect(declined.status).toBe(402);
  expect(declined.body.error.code).toBe('payment_failed');
  // Cash on delivery is never declined.
  expect((await order('cod')).status).toBe(201);
  await redis.del(PAYMENT_BEHAVIOUR_KEY);
  await waitForCache();
  expect((await order('card')).status).toBe(201);
});

test('a slow provider set at runtime slows checkout; a malformed setting is ignored', async () => {
  await redis.set(PAYMENT_BEHAVIOUR_KEY, JSON.stringify({ latencyMs: 800, failureRate: 0 }));
  await waitForCache();
  const t0 = Date.now();
  expect((await order('card')).status).toBe(201);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(800);
  await redis.set(PAYMENT_BEHAVIOUR_KEY, JSON.stringify({ latencyMs: -5, failureRate: 7 }));
  await waitForCache();
  const t1 = Date.now();
  expect((await order('card')).status).toBe(201);
  expect(Date.now() - t1).toBeLessThan(800);
  await redis.del(PAYMENT_BEHAVIOUR_KEY);
});

test('the Redis source needs Redis; the default source never reads it', () => {
  expect(() =>
    loadConfig({ ...stack.env, PAYMENT_BEHAVIOUR_SOURCE: 'redis', REDIS_HOST: '' }),
  ).toThrow();
  const {
    REDIS_HOST: _h,
    REDIS_PORT: _p,
    REDIS_PASSWORD_FILE: _f,
    PAYMENT_BEHAVIOUR_SOURCE: _s,
    ...noRedis
  } = stack.env;
  expect(() => loadConfig({ ...noRedis, PAYMENT_BEHAVIOUR_SOURCE: 'redis' })).toThrow(
    /PAYMENT_BEHAVIOUR_SOURCE: redis needs REDIS_HOST or REDIS_SENTINELS/,
  );
  expect(loadConfig({ ...noRedis }).payment.behaviourSource).toBe('config');
});
