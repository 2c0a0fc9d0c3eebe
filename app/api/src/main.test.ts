import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './test-support/containers';
import { checkoutBody, customersWithCart, newKey, newProduct } from './test-support/fixtures';
import { API_ROOT, startStack, type TestStack } from './test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false });
});
afterAll(() => stack?.stop());

/** The real entry point in its own process, as the container runs it. */
function spawnApi(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'main.ts')], {
    cwd: API_ROOT,
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

async function waitUntilUp(url: string) {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/livez`).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api did not start');
}

test('SIGTERM fails readiness, lets in-flight checkouts finish, and exits 0 well within 25 s', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { child, output } = spawnApi({
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    PAYMENT_LATENCY_MS: '3000', // keeps the checkouts in flight while the signal arrives
    SHUTDOWN_DELAY_MS: '1000',
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  await waitUntilUp(url);
  const p = await newProduct(stack.db, 10);
  const clients = await customersWithCart(url, stack.db, stack.config.session.key, 5, p);
  const inflight = clients.map((c) =>
    c.post('/api/orders', checkoutBody('bkash'), { headers: { 'idempotency-key': newKey() } }),
  );
  await new Promise((r) => setTimeout(r, 500));
  const signalledAt = Date.now();
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { status: string }).status).toBe('shutting_down');

  const replies = await Promise.all(inflight);
  expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
  const { code, at } = await exited;
  expect(code).toBe(0);
  expect(at - signalledAt).toBeLessThan(25_000);
  expect(output()).toMatch(/"msg":"shutdown complete"/);
  // After exit nothing listens any more.
  await expect(fetch(`${url}/livez`)).rejects.toThrow();
});

test('a bad configuration exits 78 with a message naming each problem', async () => {
  const { child, output } = spawnApi({
    PORT: 'eighty',
    PUBLIC_ORIGIN: 'not a url',
    DB_PASSWORD: 'literal',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(78);
  expect(output()).toMatch(/PORT:/);
  expect(output()).toMatch(/PUBLIC_ORIGIN:/);
  expect(output()).toMatch(/DB_PASSWORD: secrets are read from files/);
  expect(output()).not.toMatch(/literal/);
  expect(output()).not.toMatch(/\n\s+at /); // no stack trace
});
