/**
 * Privacy, end to end: the real api, in its own process as the container runs it (real PostgreSQL
 * and Redis), at its most verbose log level, is driven through register, login, cart, checkout,
 * a checkout that smuggles card data, a failed login and logout. Then its whole output is
 * searched for every secret the customer used. (The lab repeats the search on the collected logs.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from './test-support/client';
import { freePort } from './test-support/containers';
import { newKey, newProduct } from './test-support/fixtures';
import { API_ROOT, ORIGIN, startStack, type TestStack } from './test-support/stack';

let stack: TestStack;
let child: ChildProcess;
let output = '';
let url = '';

beforeAll(async () => {
  stack = await startStack();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', join('src', 'main.ts')], {
    cwd: API_ROOT,
    env: {
      ...process.env,
      ...stack.env,
      LOG_LEVEL: 'trace',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${url}/readyz`).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`api did not become ready:\n${output}`);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await stack?.stop();
});

test('no password, session id, address, phone number, card data or email reaches the log', async () => {
  const tag = randomBytes(4).toString('hex');
  const secrets = {
    email: `privacy-${tag}@example.test`,
    password: `Pw-${tag}-correct-horse`,
    wrongPassword: `Wrong-${tag}-battery`,
    name: `Nasrin ${tag}`,
    phone: '01719876543',
    line1: `Flat ${tag}, Road 27, Gulshan`,
    postalCode: '1212',
    cardNumber: '4242424242424242',
    cvv: '917',
  };
  const c = new Client(url, ORIGIN);
  const headers = { 'x-forwarded-for': `10.77.${tag.charCodeAt(0) % 250}.9` };

  const reg = await c.post(
    '/api/auth/register',
    { email: secrets.email, password: secrets.password, name: 'Nasrin Test' },
    { headers },
  );
  expect(reg.status).toBe(201);
  const registeredSession = c.cookie!;
  expect(await c.post('/api/auth/logout', undefined, { headers })).toMatchObject({ status: 204 });

  const bad = await c.post(
    '/api/auth/login',
    { email: secrets.email, password: secrets.wrongPassword },
    { headers },
  );
  expect(bad.status).toBe(401);
  const login = await c.post(
    '/api/auth/login',
    { email: secrets.email, password: secrets.password },
    { headers },
  );
  expect(login.status).toBe(200);
  const session = c.cookie!;

  const productId = await newProduct(stack.db, 5);
  expect((await c.put(`/api/cart/items/${productId}`, { quantity: 1 }, { headers })).status).toBe(
    200,
  );
  const address = {
    name: secrets.name,
    phone: secrets.phone,
    line1: secrets.line1,
    city: 'Dhaka',
    postalCode: secrets.postalCode,
  };
  // Card data the api must refuse (strict body), which must not be logged on the way out either.
  const smuggled = await c.post(
    '/api/orders',
    {
      shippingAddress: address,
      paymentMethod: 'card',
      cardNumber: secrets.cardNumber,
      card: { cvv: secrets.cvv },
    },
    { headers: { ...headers, 'idempotency-key': newKey() } },
  );
  expect(smuggled.status).toBe(400);
  const order = await c.post(
    '/api/orders',
    { shippingAddress: address, paymentMethod: 'card' },
    { headers: { ...headers, 'idempotency-key': newKey() } },
  );
  expect(order.status).toBe(201);

  // Let the last access lines flush.
  await new Promise((r) => setTimeout(r, 300));
  // The log did record the journey (so the search below searched something)...
  expect(output).toMatch(/"route":"\/api\/auth\/register","status":201/);
  expect(output).toMatch(/"route":"\/api\/orders","status":201/);
  expect(output).toContain(`"customerId":"${login.body.user.id}"`);
  // ...and none of the secrets, nor the session cookies' values.
  const cookieValue = (c: string) => c.replace(/^sid=/, '');
  const needles = {
    ...secrets,
    registeredSession: cookieValue(registeredSession),
    session: cookieValue(session),
  };
  const leaked = Object.entries(needles).filter(([, v]) => leaks(output, v));
  expect(leaked).toEqual([]);
});

test('the search finds a short secret as a value, not in a timestamp, a number or an id', () => {
  expect(leaks('{"msg":"x","cvv":"917"}', '917')).toBe(true);
  expect(leaks('{"err":"bad cvv 917 given"}', '917')).toBe(true);
  expect(leaks('{"time":"2026-12-01T22:50:46.917Z","pid":917,"durationMs":3.917}', '917')).toBe(
    false,
  );
  expect(leaks('{"reqId":"5a917b0e-9173-4917-a917-e29170917aaa"}', '917')).toBe(false);
  expect(leaks('{"email":"privacy-ab12@example.test"}', 'privacy-ab12@example.test')).toBe(true);
});

/**
 * Whether the log holds a secret. A long one anywhere. A short one (a CVV, a postal code) only as
 * a value of its own: digits this short occur by chance in timestamps' milliseconds, durations,
 * process ids and request ids, which the boundaries below exclude.
 */
function leaks(log: string, secret: string): boolean {
  if (secret.length >= 8) return log.includes(secret);
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z.:_-])${escaped}(?![0-9A-Za-z._-])`).test(log);
}
