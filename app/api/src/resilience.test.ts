import { execFileSync } from 'node:child_process';
import { Client } from './test-support/client';
import { checkoutBody, newKey, newProduct, PASSWORD, userClient } from './test-support/fixtures';
import { ORIGIN, startStack, uniqueEmail, type TestStack } from './test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ fixedPorts: true });
});
afterAll(() => stack?.stop());

const docker = (...args: string[]) => execFileSync('docker', args, { stdio: 'ignore' });
const anon = () => new Client(stack.api.url, ORIGIN);

async function metricsText() {
  return (await fetch(stack.api.metricsUrl)).text();
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('with Redis stopped', () => {
  let shopper: Awaited<ReturnType<typeof userClient>>;
  let product: number;
  beforeAll(async () => {
    shopper = await userClient(stack.api.url, stack.db);
    product = await newProduct(stack.db, 20, 2_500);
    await shopper.client.put(`/api/cart/items/${product}`, { quantity: 2 });
    await anon().get('/api/products?category=beauty'); // warm the cache
    docker('stop', '-t', '1', stack.redis!.container.getId());
  });
  afterAll(() => {
    docker('start', stack.redis!.container.getId());
  });

  test('the catalogue still answers 200 from PostgreSQL, and the fallback is counted', async () => {
    for (const path of [
      '/api/categories',
      '/api/products?category=beauty',
      '/api/products?q=cricket',
      `/api/products/${product}`,
    ]) {
      const r = await anon().get(path);
      expect(r.status).toBe(200);
    }
    const text = await metricsText();
    expect(text).toMatch(/cache_requests_total\{result="error"\} [1-9]/);
    expect(text).toMatch(/api_degraded\{dependency="redis"\} 1/);
  });

  test('readiness stays 200 but reports degraded', async () => {
    // One dependency probe answers readiness for a second (health.ts), so the status may lag
    // the outage by that long; it is 200 throughout.
    await waitFor(
      'readiness to report degraded',
      async () => {
        const r = await anon().get('/readyz');
        expect(r.status).toBe(200);
        return r.body.status === 'degraded';
      },
      3_000,
    );
    const r = await anon().get('/readyz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'degraded', checks: { postgres: 'ok', redis: 'down' } });
  });

  test('sessions and carts survive: no one is logged out, nothing is lost', async () => {
    expect((await shopper.client.get('/api/auth/me')).body.user.email).toBe(shopper.email);
    expect((await shopper.client.get('/api/cart')).body.items).toEqual([
      expect.objectContaining({ productId: product, quantity: 2 }),
    ]);
    const order = await shopper.client.post('/api/orders', checkoutBody('cod'), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(order.status).toBe(201);
  });

  test('login and registration still work (rate limits fall back to per-process counters)', async () => {
    const c = anon();
    const email = uniqueEmail('noredis');
    expect(
      (await c.post('/api/auth/register', { email, password: PASSWORD, name: 'N' })).status,
    ).toBe(201);
    expect((await anon().post('/api/auth/login', { email, password: PASSWORD })).status).toBe(200);
  });
});

describe('after Redis returns', () => {
  test('the cache is used again and readiness is back to ready', async () => {
    await waitFor('redis ready', async () => (await anon().get('/readyz')).body.status === 'ready');
    // A ready status may be up to a second old (health.ts), so the cache is asked until it
    // answers: a second read of the same page must then be a hit.
    const url = '/api/products?category=baby-kids&page=2';
    const hits = (t: string) =>
      Number(/cache_requests_total\{result="hit"\} (\d+)/.exec(t)?.[1] ?? 0);
    await waitFor(
      'a cache hit',
      async () => {
        await anon().get(url);
        const before = await metricsText();
        await anon().get(url);
        return hits(await metricsText()) === hits(before) + 1;
      },
      10_000,
    );
  });
});

describe('with PostgreSQL stopped', () => {
  let shopper: Awaited<ReturnType<typeof userClient>>;
  beforeAll(async () => {
    shopper = await userClient(stack.api.url, stack.db);
    docker('stop', '-t', '5', stack.pg.container.getId());
  });

  test('readiness says degraded but stays 200 (the edge keeps routing cached reads), liveness 200', async () => {
    // Within the second one dependency probe answers for (health.ts); 200 throughout.
    await waitFor(
      'readiness to report degraded',
      async () => {
        const r = await anon().get('/readyz');
        expect(r.status).toBe(200);
        return r.body.status === 'degraded';
      },
      3_000,
    );
    const ready = await anon().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      ready: true,
      status: 'degraded',
      checks: { postgres: 'down' },
    });
    expect((await anon().get('/livez')).status).toBe(200);
  });

  test('requests that need the database get a clean 503 JSON error', async () => {
    for (const r of [
      await anon().get('/api/products?q=never-cached-query'),
      await shopper.client.get('/api/auth/me'),
      await shopper.client.get('/api/orders'),
    ]) {
      expect(r.status).toBe(503);
      expect(r.body).toEqual({
        error: { code: 'service_unavailable', message: expect.any(String) },
      });
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    // Failures before a route matched still count against the right SLO.
    const text = await metricsText();
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/auth\/me",status="503",version="unversioned"\} [1-9]/,
    );
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/orders",status="503",version="unversioned"\} [1-9]/,
    );
  });

  test('the API recovers by itself when PostgreSQL returns', async () => {
    docker('start', stack.pg.container.getId());
    await waitFor(
      'postgres back',
      async () => (await anon().get('/readyz')).body.checks?.postgres === 'ok',
      90_000,
    );
    expect((await anon().get('/api/products?q=never-cached-query-2')).status).toBe(200);
    expect((await shopper.client.get('/api/auth/me')).status).toBe(200);
  });
});
