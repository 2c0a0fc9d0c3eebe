import { execFileSync } from 'node:child_process';
import { Client } from '../test-support/client';
import { ORIGIN, startStack, type TestStack } from '../test-support/stack';

// Stale if error, on real PostgreSQL and Redis: a catalogue entry past its freshness still
// answers while the database cannot (a failover), instead of an error; what was never cached
// fails cleanly. Fresh again once the database is back.

let stack: TestStack;
const anon = () => new Client(stack.api.url, ORIGIN);
beforeAll(async () => {
  stack = await startStack({ env: { CACHE_TTL_SECONDS: '1' } });
});
afterAll(() => stack?.stop());

const staleCount = async () =>
  Number(
    /cache_requests_total\{result="stale"\} (\d+)/.exec(
      await (await fetch(stack.api.metricsUrl)).text(),
    )?.[1] ?? 0,
  );

test('with PostgreSQL down, a stale catalogue entry answers; an uncached read is a clean 503', async () => {
  const url = '/api/products?category=baby-kids&page=3&pageSize=7';
  const fresh = await anon().get(url);
  expect(fresh.status).toBe(200);
  const before = await staleCount();
  execFileSync('docker', ['stop', '-t', '5', stack.pg.container.getId()]);
  try {
    await new Promise((r) => setTimeout(r, 1500)); // past the entry's freshness
    const served = await anon().get(url);
    expect(served.status).toBe(200);
    expect(served.text).toBe(fresh.text);
    expect(await staleCount()).toBeGreaterThan(before);
    const never = await anon().get('/api/products?q=never-cached-while-down');
    expect(never.status).toBe(503);
    expect(never.body.error.code).toBe('service_unavailable');
  } finally {
    execFileSync('docker', ['start', stack.pg.container.getId()]);
  }
});
