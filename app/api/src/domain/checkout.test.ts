import {
  checkoutBody,
  customersWithCart,
  newKey,
  newProduct,
  userClient,
} from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';

// Every non-COD payment fails in this stack, so one stack covers both the concurrency
// properties (paid by COD, which never fails) and the failed-payment guarantees.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_FAILURE_RATE: '1', PAYMENT_LATENCY_MS: '20' } });
});
afterAll(() => stack?.stop());

const count = async (sql: string, params: unknown[]) =>
  (await stack.db.query(sql, params)).rows[0].n as number;

test('200 parallel checkouts against a stock of 50 make exactly 50 orders and 150 × 409', async () => {
  const p = await newProduct(stack.db, 50);
  const clients = await customersWithCart(
    stack.api.url,
    stack.db,
    stack.config.session.key,
    200,
    p,
  );
  // A 503 (the pool's wait for a connection ran out, on a busy machine) invites a retry with
  // the same key, as a client honouring Retry-After does; the property is about the final answers.
  const replies = await Promise.all(
    clients.map(async (c) => {
      const headers = { 'idempotency-key': newKey() };
      for (let attempt = 1; ; attempt++) {
        const r = await c.post('/api/orders', checkoutBody('cod'), { headers });
        if (r.status !== 503 || attempt === 5) return r;
        await new Promise((res) => setTimeout(res, 500 * attempt));
      }
    }),
  );
  // Compared as a tally, so a failure shows every status that came back.
  const tally: Record<number, number> = {};
  for (const r of replies) tally[r.status] = (tally[r.status] ?? 0) + 1;
  expect(tally).toEqual({ 201: 50, 409: 150 });
  expect(
    (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
  ).toBe(0);
  expect(
    await count(
      `SELECT count(*)::int AS n FROM order_items oi JOIN orders o ON o.id = oi.order_id
                  WHERE oi.product_id = $1 AND o.status = 'confirmed'`,
      [p],
    ),
  ).toBe(50);
});

test('parallel retries of one idempotency key make exactly one order', async () => {
  const p = await newProduct(stack.db, 10);
  const { client: c, user } = await userClient(stack.api.url, stack.db);
  await c.put(`/api/cart/items/${p}`, { quantity: 2 });
  const key = newKey();
  const replies = await Promise.all(
    Array.from({ length: 20 }, () =>
      c.post('/api/orders', checkoutBody('cod'), { headers: { 'idempotency-key': key } }),
    ),
  );
  expect(replies.every((r) => r.status === 201)).toBe(true);
  expect(new Set(replies.map((r) => r.body.order.id)).size).toBe(1);
  expect(await count('SELECT count(*)::int AS n FROM orders WHERE user_id = $1', [user.id])).toBe(
    1,
  );
  expect(
    (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
  ).toBe(8);
});

test('a failed payment leaves no paid order, returns the stock and keeps the cart', async () => {
  const p = await newProduct(stack.db, 5);
  const { client: c, user } = await userClient(stack.api.url, stack.db);
  await c.put(`/api/cart/items/${p}`, { quantity: 2 });
  const key = newKey();
  const r = await c.post('/api/orders', checkoutBody('bkash'), {
    headers: { 'idempotency-key': key },
  });
  expect(r.status).toBe(402);
  expect(r.body.error.code).toBe('payment_failed');
  expect(
    (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
  ).toBe(5);
  const orders = await stack.db.query('SELECT status FROM orders WHERE user_id = $1', [user.id]);
  expect(orders.rows).toEqual([{ status: 'payment_failed' }]);
  expect((await c.get('/api/cart')).body.items).toEqual([
    expect.objectContaining({ productId: p, quantity: 2 }),
  ]);
  // The same key replays the same failure; a new attempt needs a new key.
  expect(
    (await c.post('/api/orders', checkoutBody('bkash'), { headers: { 'idempotency-key': key } }))
      .status,
  ).toBe(402);
  expect(
    (await c.post('/api/orders', checkoutBody('cod'), { headers: { 'idempotency-key': newKey() } }))
      .status,
  ).toBe(201);
});

test('checkout outcomes are counted by method and outcome', async () => {
  const text = await (await fetch(stack.api.metricsUrl)).text();
  expect(text).toMatch(/checkout_attempts_total\{method="cod",outcome="success"\} \d+/);
  expect(text).toMatch(/checkout_attempts_total\{method="cod",outcome="out_of_stock"\} 150/);
  expect(text).toMatch(/checkout_attempts_total\{method="bkash",outcome="payment_failed"\} [1-9]/);
});
