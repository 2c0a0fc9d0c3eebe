/**
 * The shop's two questions, asked of the running lab's own logs: a request with a known request
 * id, from a known customer, is found by `logs request` and `logs customer` within 10 s; an error
 * provoked on purpose by stopping a dependency (both database routers, for a few seconds) is
 * found by `logs errors`. The customer is looked up by email in the lab's database.
 */
import { randomBytes } from 'node:crypto';
import { docker, serviceSettled, waitFor } from '@dhakacart/lab-client';
import { newShopper } from '@dhakacart/loadtests';
import { EXIT, runCli } from './cli';

jest.setTimeout(4 * 60_000);

interface Found {
  code: number;
  lines: { reqId?: string; service?: string; status?: string; customerId?: string }[];
  userId?: string;
}

async function ask(args: string[]): Promise<Found> {
  let out = '';
  const code = await runCli([...args, '--json'], {
    out: (s) => (out += s),
    err: () => undefined,
    env: process.env,
  });
  const parsed = out ? (JSON.parse(out) as Omit<Found, 'code'>) : { lines: [] };
  return { code, ...parsed };
}

/** Asks until `ok` holds; returns how long it took. Bounded at `seconds`. */
async function within(seconds: number, args: string[], ok: (f: Found) => boolean) {
  const start = Date.now();
  let last: Found = { code: -1, lines: [] };
  while (Date.now() - start < seconds * 1000) {
    last = await ask(args);
    if (ok(last)) return (Date.now() - start) / 1000;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not found within ${seconds} s: logs ${args.join(' ')} (last exit ${last.code})`);
}

test('a known request from a known customer is found by request id and by email within 10 s', async () => {
  const shopper = await newShopper(`logs${randomBytes(3).toString('hex')}`);
  const reqId = `labtest-${randomBytes(8).toString('hex')}`;
  const r = await shopper.call('GET', '/api/cart', undefined, { 'x-request-id': reqId });
  expect(r.status).toBe(200);
  expect(r.headers['x-request-id']).toBe(reqId);
  const sent = Date.now();
  const left = () => Math.max(0, 10 - (Date.now() - sent) / 1000);

  // One request across the edge and the api.
  await within(left(), ['request', reqId, '--since', '10m'], (f) => {
    const services = new Set(f.lines.filter((l) => l.reqId === reqId).map((l) => l.service));
    return f.code === EXIT.ok && services.has('edge') && services.has('api');
  });
  // The same request among the customer's, looked up by email (in the lab's database).
  await within(
    left(),
    ['customer', shopper.label, '--since', '10m'],
    (f) => f.code === EXIT.ok && f.lines.some((l) => l.reqId === reqId),
  );
  expect(Date.now() - sent).toBeLessThanOrEqual(10_500);
});

test('an error provoked by stopping the database routers is found by logs errors', async () => {
  const shopper = await newShopper(`logserr${randomBytes(3).toString('hex')}`);
  const reqId = `labtest-err-${randomBytes(8).toString('hex')}`;
  await docker(['service', 'scale', '--detach', 'dhakacart_pgrouter=0']);
  try {
    // The session lookup needs the database: with no router, the api answers 503.
    await waitFor(
      'the api to answer 503 without a database',
      async () =>
        (await shopper.call('GET', '/api/cart', undefined, { 'x-request-id': reqId })).status ===
        503,
      60_000,
      1000,
    );
  } finally {
    await docker(['service', 'scale', '--detach', 'dhakacart_pgrouter=2']);
  }
  const found = await within(10, ['errors', '--since', '5m', '--service', 'api'], (f) =>
    f.lines.some((l) => l.reqId === reqId && l.status === '503'),
  );
  expect(found).toBeLessThan(10);
  // The store is back before the next test.
  await waitFor('both routers back', () => serviceSettled('pgrouter'), 120_000, 2000);
  await waitFor(
    'the database back for the customer',
    async () => (await shopper.call('GET', '/api/cart')).status === 200,
    120_000,
    1000,
  );
});
