import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { ordersRepo } from '../data/orders-repo';
import { paymentLedgerRepo } from '../data/payment-ledger-repo';
import { startCuttingProxy, type CuttingProxy } from '../test-support/cutting-proxy';
import { checkoutBody, newKey, newProduct, userClient } from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';
import { checkoutService } from './checkout';
import { memoryLedger, simulatedProvider } from './payments';

// The ambiguous failure of a database failover, reproduced on real PostgreSQL: the reserve
// transaction's COMMIT reaches the server and commits, and its answer is lost with the
// connection. The order must still be finished, once, with exactly one charge.

const RESERVE = /INSERT INTO orders/;

const orderState = async (stack: TestStack, userId: string) =>
  (
    await stack.db.query(
      `SELECT o.id, o.status, c.calls, c.ok
           FROM orders o LEFT JOIN simulated_payment_charges c ON c.order_id = o.id
          WHERE o.user_id = $1`,
      [userId],
    )
  ).rows as { id: string; status: string; calls: number | null; ok: boolean | null }[];

describe('a checkout whose reserve COMMIT answer is lost', () => {
  let proxy: CuttingProxy;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      // Card payments succeed; a short payment time-out keeps the order's lease short.
      env: { PAYMENT_TIMEOUT_MS: '1000', PAYMENT_LATENCY_MS: '0' },
      dbVia: async (pg) => {
        proxy = await startCuttingProxy({ host: pg.host, port: pg.port });
        return { host: '127.0.0.1', port: proxy.port };
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  test('the request that lost the answer finds its own order and finishes it, charged once', async () => {
    const p = await newProduct(stack.db, 5);
    const { client, user } = await userClient(stack.api.url, stack.db);
    await client.put(`/api/cart/items/${p}`, { quantity: 1 });
    const cutsBefore = proxy.cuts;
    proxy.armCommitCut(RESERVE);
    const r = await client.post('/api/orders', checkoutBody('card'), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(proxy.cuts).toBe(cutsBefore + 1);
    expect(r.status).toBe(201);
    expect(r.body.order.status).toBe('paid');
    const rows = await orderState(stack, user.id);
    expect(rows).toEqual([{ id: r.body.order.id, status: 'paid', calls: 1, ok: true }]);
    expect(
      (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
    ).toBe(4);
  });
});

describe('a retry of the key after the first request gave up', () => {
  let proxy: CuttingProxy;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({
      // The first request does not retry its reserve: the cut ends it with a 503 and leaves the
      // order pending under its lease (1 s payment time-out + 2 s).
      env: { PAYMENT_TIMEOUT_MS: '1000', PAYMENT_LATENCY_MS: '0', CHECKOUT_RESERVE_RETRY_MS: '0' },
      dbVia: async (pg) => {
        proxy = await startCuttingProxy({ host: pg.host, port: pg.port });
        return { host: '127.0.0.1', port: proxy.port };
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  test('gets the completed order within the lease plus a moment, with exactly one charge', async () => {
    const p = await newProduct(stack.db, 5);
    const { client, user } = await userClient(stack.api.url, stack.db);
    await client.put(`/api/cart/items/${p}`, { quantity: 2 });
    const key = newKey();
    const cutsBefore = proxy.cuts;
    proxy.armCommitCut(RESERVE);
    const first = await client.post('/api/orders', checkoutBody('bkash'), {
      headers: { 'idempotency-key': key },
    });
    expect({ status: first.status, cuts: proxy.cuts - cutsBefore }).toEqual({
      status: 503,
      cuts: 1,
    });
    // Committed although nobody heard it (the COMMIT may land a moment after the 503): pending,
    // leased, not yet charged.
    let pending = await orderState(stack, user.id);
    for (let i = 0; i < 40 && pending.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      pending = await orderState(stack, user.id);
    }
    expect(pending).toEqual([expect.objectContaining({ status: 'pending', calls: null })]);

    const t0 = Date.now();
    let retry = await client.post('/api/orders', checkoutBody('bkash'), {
      headers: { 'idempotency-key': key },
    });
    // A retry inside the lease may be told to come back (409 + Retry-After); the next one resumes.
    for (let i = 0; i < 5 && retry.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      retry = await client.post('/api/orders', checkoutBody('bkash'), {
        headers: { 'idempotency-key': key },
      });
    }
    expect(retry.status).toBe(201);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(retry.body.order.id).toBe(pending[0]!.id);
    expect(retry.body.order.status).toBe('paid');
    // Asked again: the same order, still one charge.
    const again = await client.post('/api/orders', checkoutBody('bkash'), {
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(201);
    expect(await orderState(stack, user.id)).toEqual([
      { id: pending[0]!.id, status: 'paid', calls: 1, ok: true },
    ]);
    expect(
      (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
    ).toBe(3);
  });
});

describe('housekeeping of orders nobody resumed', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ redis: false });
  });
  afterAll(() => stack?.stop());

  test('an abandoned order the provider charged is settled as paid; one it never charged fails and restocks', async () => {
    const p = await newProduct(stack.db, 10);
    const { user } = await userClient(stack.api.url, stack.db);
    const insert = async (key: string) =>
      (
        await stack.db.query(
          `WITH o AS (
             INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method,
                                 total_paisa, shipping_address, created_at, lease_owner, lease_expires_at)
             VALUES ($1, $2, 'h', 'pending', 'card', 100, '{}', now() - interval '1 hour',
                     'dead-request', now() - interval '59 minutes') RETURNING id)
           INSERT INTO order_items (order_id, product_id, name, quantity, price_paisa)
           SELECT id, $3, 'x', 1, 100 FROM o RETURNING order_id`,
          [user.id, key, p],
        )
      ).rows[0].order_id as string;
    await stack.db.query('UPDATE products SET stock = stock - 2 WHERE id = $1', [p]);
    const charged = await insert(newKey());
    const never = await insert(newKey());
    const ledger = paymentLedgerRepo(stack.db);
    await ledger.chargeOnce({
      orderId: charged,
      method: 'card',
      amountPaisa: 100,
      ok: true,
      reference: 'card-ref-1',
      reason: null,
    });
    const service = checkoutService({
      pool: stack.db,
      orders: ordersRepo(stack.db),
      payments: simulatedProvider({ latencyMs: 0, failureRate: 0, ledger }),
      metrics: createMetrics(),
      log: createLogger('silent'),
      paymentTimeoutMs: 1000,
      onStockChanged: async () => undefined,
    });
    expect(await service.releaseAbandoned(60)).toBe(2);
    const { rows } = await stack.db.query(
      'SELECT id, status, payment_reference AS ref FROM orders WHERE id = ANY($1)',
      [[charged, never]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[charged]).toEqual({ id: charged, status: 'paid', ref: 'card-ref-1' });
    expect(byId[never].status).toBe('payment_failed');
    // Only the never-charged order's unit came back.
    expect(
      (await stack.db.query('SELECT stock FROM products WHERE id = $1', [p])).rows[0].stock,
    ).toBe(9);
  });
});

describe('a charge whose dependency is unreachable for a moment', () => {
  let stack: TestStack;
  let calls = 0;
  beforeAll(async () => {
    const ledger = memoryLedger();
    const inner = simulatedProvider({ latencyMs: 0, failureRate: 0, ledger });
    stack = await startStack({
      redis: false,
      payments: {
        // The provider's ledger is unreachable twice (a failover), then answers.
        async charge(req, signal) {
          if (++calls <= 2) throw new Error('Connection terminated unexpectedly');
          return inner.charge(req, signal);
        },
        status: (id) => inner.status(id),
      },
    });
  });
  afterAll(() => stack?.stop());

  test('is retried (it is idempotent) instead of failing the payment', async () => {
    const p = await newProduct(stack.db, 3);
    const { client } = await userClient(stack.api.url, stack.db);
    await client.put(`/api/cart/items/${p}`, { quantity: 1 });
    const r = await client.post('/api/orders', checkoutBody('nagad'), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(r.status).toBe(201);
    expect(r.body.order.status).toBe('paid');
    expect(calls).toBe(3);
  });
});
