import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgeClient } from './edge';
import { assertLocalUrl } from './endpoints';

/** A local server that answers POST /api/orders from a script of statuses, recording keys. */
async function scriptedStore(statuses: (number | 'hang')[]) {
  const seen: { key: string | undefined; origin: string | undefined; cookie?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      key: req.headers['idempotency-key'] as string | undefined,
      origin: req.headers.origin,
      cookie: req.headers.cookie,
    });
    const next = statuses.shift() ?? 201;
    if (next === 'hang') return; // never answers: the client's time-out must end it
    res.writeHead(next, { 'content-type': 'application/json', 'set-cookie': 'sid=abc; Path=/' });
    res.end(JSON.stringify(next === 201 ? { order: { id: 'o-1' } } : { error: { code: 'x' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('refuses any target but this machine', () => {
  expect(() => assertLocalUrl('https://example.com/')).toThrow(/only the lab on 127.0.0.1/);
  expect(() => new EdgeClient({ baseUrl: 'https://10.0.0.1:8443' })).toThrow(/refusing/);
  expect(assertLocalUrl('https://localhost:8443/x').hostname).toBe('localhost');
});

test('an order is retried with the same key after a time-out and a 503, until it is placed', async () => {
  const store = await scriptedStore(['hang', 503, 201]);
  const client = new EdgeClient({ baseUrl: store.url });
  try {
    const s = client.session('shopper');
    const out = await s.placeOrder({ x: 1 }, { timeoutMs: 300, pauseMs: 10, budgetMs: 10_000 });
    expect(out.status).toBe(201);
    expect(out.orderId).toBe('o-1');
    expect(out.attempts.map((a) => a.status)).toEqual([0, 503, 201]);
    expect(new Set(store.seen.map((r) => r.key))).toEqual(new Set([out.key]));
    expect(store.seen.every((r) => r.origin === store.url)).toBe(true);
    // The cookie the store set on the first answer goes back with the next request.
    expect(store.seen[2]!.cookie).toBe('sid=abc');
  } finally {
    client.close();
    await store.close();
  }
});

test('a final answer ends the retries; a spent budget leaves the key unresolved (status 0)', async () => {
  const store = await scriptedStore([402, 503, 503, 503, 503, 503]);
  const client = new EdgeClient({ baseUrl: store.url });
  try {
    const s = client.session();
    expect((await s.placeOrder({}, { pauseMs: 10 })).status).toBe(402);
    const out = await s.placeOrder({}, { pauseMs: 50, budgetMs: 120 });
    expect(out.status).toBe(0);
    expect(out.attempts.length).toBeGreaterThan(1);
    expect(out.attempts.every((a) => a.status === 503)).toBe(true);
  } finally {
    client.close();
    await store.close();
  }
});
