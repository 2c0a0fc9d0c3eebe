import { Client } from '../test-support/client';
import {
  address,
  checkoutBody,
  newKey,
  newProduct,
  PASSWORD,
  userClient,
} from '../test-support/fixtures';
import { ORIGIN, startStack, uniqueEmail, type TestStack } from '../test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const stockOf = async (id: number) =>
  (await stack.db.query('SELECT stock FROM products WHERE id = $1', [id])).rows[0].stock as number;

describe('cart', () => {
  test('adds, changes and removes lines with integer totals', async () => {
    const { client: c } = await userClient(stack.api.url, stack.db);
    const a = await newProduct(stack.db, 10, 15_050);
    const b = await newProduct(stack.db, 10, 9_900);
    expect((await c.put(`/api/cart/items/${a}`, { quantity: 2 })).status).toBe(200);
    const r = await c.put(`/api/cart/items/${b}`, { quantity: 1 });
    expect(r.body.totalPaisa).toBe(2 * 15_050 + 9_900);
    expect(r.body.items).toEqual([
      expect.objectContaining({ productId: a, quantity: 2, pricePaisa: 15_050 }),
      expect.objectContaining({ productId: b, quantity: 1, pricePaisa: 9_900 }),
    ]);
    await c.put(`/api/cart/items/${a}`, { quantity: 5 });
    const removed = await c.put(`/api/cart/items/${b}`, { quantity: 0 });
    expect(removed.body).toEqual({
      items: [expect.objectContaining({ productId: a, quantity: 5 })],
      totalPaisa: 5 * 15_050,
    });
    expect((await c.get('/api/cart')).body.totalPaisa).toBe(5 * 15_050);
  });

  test('rejects bad quantities, unknown fields and unknown products', async () => {
    const { client: c } = await userClient(stack.api.url, stack.db);
    const a = await newProduct(stack.db, 10);
    for (const body of [
      { quantity: -1 },
      { quantity: 100 },
      { quantity: 1.5 },
      { quantity: '2' },
      { quantity: 1, x: 1 },
    ]) {
      expect((await c.put(`/api/cart/items/${a}`, body)).status).toBe(400);
    }
    expect((await c.put('/api/cart/items/abc', { quantity: 1 })).status).toBe(400);
    expect((await c.put('/api/cart/items/99999999', { quantity: 1 })).status).toBe(404);
  });

  test("a guest's cart survives registration and joins the new account", async () => {
    const c = new Client(stack.api.url, ORIGIN);
    const a = await newProduct(stack.db, 10, 1_000);
    expect((await c.get('/api/cart')).body).toEqual({ items: [], totalPaisa: 0 });
    await c.put(`/api/cart/items/${a}`, { quantity: 3 });
    const guestCookie = c.cookie;
    expect(guestCookie).toBeTruthy();
    const reg = await c.post('/api/auth/register', {
      email: uniqueEmail('guest'),
      password: PASSWORD,
      name: 'G',
    });
    expect(reg.status).toBe(201);
    expect(c.cookie).not.toBe(guestCookie); // a new session id: no fixation
    expect((await c.get('/api/cart')).body.items).toEqual([
      expect.objectContaining({ productId: a, quantity: 3 }),
    ]);
  });
});

describe('checkout', () => {
  async function readyCart(quantity = 2, stock = 10) {
    const u = await userClient(stack.api.url, stack.db);
    const p = await newProduct(stack.db, stock, 50_000);
    await u.client.put(`/api/cart/items/${p}`, { quantity });
    return { ...u, p };
  }

  test('creates a paid order from the cart, takes stock and empties the cart', async () => {
    const { client: c, p } = await readyCart(2, 10);
    const r = await c.post('/api/orders', checkoutBody('bkash'), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(r.status).toBe(201);
    expect(r.body.order).toMatchObject({
      status: 'paid',
      totalPaisa: 100_000,
      paymentMethod: 'bkash',
      shippingAddress: address,
      items: [{ productId: p, quantity: 2, pricePaisa: 50_000, name: expect.any(String) }],
    });
    expect(await stockOf(p)).toBe(8);
    expect((await c.get('/api/cart')).body.items).toEqual([]);
  });

  test('cash on delivery is confirmed, not paid', async () => {
    const { client: c } = await readyCart();
    const r = await c.post('/api/orders', checkoutBody('cod'), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(r.body.order.status).toBe('confirmed');
  });

  test('replaying a key returns the same order; a different body with it is 422', async () => {
    const { client: c, p } = await readyCart(1, 10);
    const key = newKey();
    const first = await c.post('/api/orders', checkoutBody(), {
      headers: { 'idempotency-key': key },
    });
    const again = await c.post('/api/orders', checkoutBody(), {
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(await stockOf(p)).toBe(9);
    const changed = await c.post('/api/orders', checkoutBody('nagad'), {
      headers: { 'idempotency-key': key },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
  });

  test('requires a well-formed Idempotency-Key, a valid body and a login', async () => {
    const { client: c } = await readyCart();
    expect((await c.post('/api/orders', checkoutBody())).status).toBe(400);
    expect(
      (await c.post('/api/orders', checkoutBody(), { headers: { 'idempotency-key': 'bad key!' } }))
        .status,
    ).toBe(400);
    const badPhone = { shippingAddress: { ...address, phone: '12345' }, paymentMethod: 'bkash' };
    const r = await c.post('/api/orders', badPhone, { headers: { 'idempotency-key': newKey() } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0].field).toBe('body.shippingAddress.phone');
    expect(
      (
        await c.post(
          '/api/orders',
          { ...checkoutBody(), paymentMethod: 'paypal' },
          { headers: { 'idempotency-key': newKey() } },
        )
      ).status,
    ).toBe(400);
    const anon = new Client(stack.api.url, ORIGIN);
    expect(
      (await anon.post('/api/orders', checkoutBody(), { headers: { 'idempotency-key': newKey() } }))
        .status,
    ).toBe(401);
  });

  test('an empty cart is 422', async () => {
    const { client: c } = await userClient(stack.api.url, stack.db);
    const r = await c.post('/api/orders', checkoutBody(), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('cart_empty');
  });

  test('out of stock is 409 and names the items', async () => {
    const { client: c, p } = await readyCart(5, 3);
    const r = await c.post('/api/orders', checkoutBody(), {
      headers: { 'idempotency-key': newKey() },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('out_of_stock');
    expect(r.body.error.details.items).toEqual([
      expect.objectContaining({ productId: p, requested: 5, available: 3 }),
    ]);
    expect(await stockOf(p)).toBe(3);
  });
});

describe('orders and roles', () => {
  test('a customer sees their own orders; another customer gets 404', async () => {
    const a = await userClient(stack.api.url, stack.db);
    const b = await userClient(stack.api.url, stack.db);
    const p = await newProduct(stack.db, 5);
    await a.client.put(`/api/cart/items/${p}`, { quantity: 1 });
    const order = (
      await a.client.post('/api/orders', checkoutBody(), {
        headers: { 'idempotency-key': newKey() },
      })
    ).body.order;
    const mine = await a.client.get('/api/orders');
    expect(mine.body.items.map((o: any) => o.id)).toEqual([order.id]);
    expect((await a.client.get(`/api/orders/${order.id}`)).body.order.id).toBe(order.id);
    expect((await b.client.get(`/api/orders/${order.id}`)).status).toBe(404);
    expect((await b.client.get('/api/orders')).body.items).toEqual([]);
    expect((await a.client.get('/api/orders/not-a-uuid')).status).toBe(404);
  });

  test('staff and admin list all orders; customers are refused', async () => {
    const cust = await userClient(stack.api.url, stack.db, 'customer');
    const staff = await userClient(stack.api.url, stack.db, 'staff');
    const admin = await userClient(stack.api.url, stack.db, 'admin');
    expect((await cust.client.get('/api/admin/orders')).status).toBe(403);
    expect((await new Client(stack.api.url, ORIGIN).get('/api/admin/orders')).status).toBe(401);
    for (const who of [staff, admin]) {
      const r = await who.client.get('/api/admin/orders?pageSize=5');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ page: 1, pageSize: 5, total: expect.any(Number) });
    }
  });

  test('only admin manages products; changes show in the catalogue at once', async () => {
    const staff = await userClient(stack.api.url, stack.db, 'staff');
    const admin = await userClient(stack.api.url, stack.db, 'admin');
    const anon = new Client(stack.api.url, ORIGIN);
    const created = await admin.client.post('/api/admin/products', {
      sku: `ADM-${Date.now().toString(36).toUpperCase()}`,
      name: 'Hilsa Fish (1 kg)',
      category: 'groceries',
      pricePaisa: 150_000,
      stock: 4,
    });
    expect(created.status).toBe(201);
    const id = created.body.product.id;
    // Warm the cache, then change: the change must be visible, not a stale cached copy.
    expect((await anon.get(`/api/products/${id}`)).body.product.stock).toBe(4);
    await anon.get('/api/products?category=groceries&q=hilsa');
    expect((await staff.client.patch(`/api/admin/products/${id}`, { stock: 1 })).status).toBe(403);
    const patched = await admin.client.patch(`/api/admin/products/${id}`, {
      stock: 9,
      pricePaisa: 140_000,
    });
    expect(patched.status).toBe(200);
    expect((await anon.get(`/api/products/${id}`)).body.product).toMatchObject({
      stock: 9,
      pricePaisa: 140_000,
    });
    const listed = await anon.get('/api/products?category=groceries&q=hilsa');
    expect(listed.body.items.find((i: any) => i.id === id)).toMatchObject({ stock: 9 });
    expect(
      (await admin.client.patch(`/api/admin/products/${id}`, { pricePaisa: 1.5 })).status,
    ).toBe(400);
    expect((await admin.client.patch(`/api/admin/products/${id}`, {})).status).toBe(400);
    expect((await admin.client.patch('/api/admin/products/99999999', { stock: 1 })).status).toBe(
      404,
    );
    const dup = await admin.client.post('/api/admin/products', {
      sku: created.body.product.sku,
      name: 'dup',
      category: 'groceries',
      pricePaisa: 1,
      stock: 1,
    });
    expect(dup.status).toBe(409);
  });
});
