import { checkoutBody, newKey, newProduct, userClient } from '../test-support/fixtures';
import { Client } from '../test-support/client';
import { ORIGIN, startStack, uniqueEmail, type TestStack } from '../test-support/stack';

// Regressions for what Schemathesis found (tools/security/src/fuzz): each was fixed at its cause.
// The document half of each finding (what openapi.json promises) is in contract/contract.test.ts.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false });
});
afterAll(() => stack?.stop());

const client = () => new Client(stack.api.url, ORIGIN);

describe('a NUL character in text is a 400 naming the field, not a database error', () => {
  test('in an admin product update (the fuzzer sent it in imageUrl: 500 before)', async () => {
    const { client: admin } = await userClient(stack.api.url, stack.db, 'admin');
    const { rows } = await stack.db.query<{ id: number }>('SELECT id FROM products LIMIT 1');
    const r = await admin.patch(`/api/admin/products/${rows[0]!.id}`, {
      imageUrl: 'https://\u0000x',
      stock: 3,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues).toEqual([
      { field: 'body.imageUrl', message: expect.stringMatching(/NUL/) },
    ]);
    const created = await admin.post('/api/admin/products', {
      sku: 'NUL-1',
      name: '\u0000-x',
      category: 'groceries',
      pricePaisa: 100,
      stock: 1,
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details.issues[0].field).toBe('body.name');
  });

  test('in a search and in a registration', async () => {
    expect((await client().get('/api/products?q=rice%00')).status).toBe(400);
    const reg = await client().post('/api/auth/register', {
      email: uniqueEmail('nul'),
      password: 'correct horse battery',
      name: 'Ra\u0000fiq',
    });
    expect(reg.status).toBe(400);
    expect(reg.body.error.details.issues[0].field).toBe('body.name');
  });
});

test('a number in a path or query is decimal digits only (pageSize as "1e1"-like text was a 200 before: ST201)', async () => {
  const { rows } = await stack.db.query<{ id: number }>(
    'SELECT id FROM products ORDER BY id LIMIT 1',
  );
  const id = rows[0]!.id;
  const good = await client().get('/api/products?pageSize=05&page=1');
  expect(good.status).toBe(200);
  expect(good.body.pageSize).toBe(5);
  for (const bad of ['1e1', '%205', '5%20', '0x10', '%2B5', '5.0', '', '0b11']) {
    const r = await client().get(`/api/products?pageSize=${bad}`);
    expect([bad, r.status]).toEqual([bad, 400]);
    expect(r.body.error.details.issues).toEqual([
      { field: 'query.pageSize', message: 'must be a whole number written in digits' },
    ]);
  }
  expect((await client().get(`/api/products?page=1e0`)).status).toBe(400);
  expect((await client().get(`/api/products/${id}`)).status).toBe(200);
  for (const bad of [`0x${id.toString(16)}`, `${id}.0`, `%20${id}`, `${id}e0`]) {
    const r = await client().get(`/api/products/${bad}`);
    expect([bad, r.status, r.body.error?.code]).toEqual([bad, 400, 'invalid_request']);
  }
});

test('a name of only whitespace is refused (the document said minLength 1 before)', async () => {
  for (const name of [' ', '\u3000\t']) {
    const r = await client().post('/api/auth/register', {
      email: uniqueEmail('blank'),
      password: 'correct horse battery',
      name,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.issues[0]).toEqual({
      field: 'body.name',
      message: 'must not be blank or contain NUL characters',
    });
  }
});

describe('a known path asked with a method it does not serve', () => {
  test('is 405 with Allow listing what it serves (404 before)', async () => {
    const r = await client().request('DELETE', '/api/categories');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    expect(r.body.error.code).toBe('method_not_allowed');
    const product = await client().request('PUT', '/api/products/7/', { json: {} });
    expect(product.status).toBe(405);
    expect(product.headers.get('allow')).toBe('GET, HEAD');
    const orders = await client().request('DELETE', '/api/orders');
    expect(orders.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await client().request('POST', '/livez')).status).toBe(405);
  });

  test('an unknown path is still 404, and the served methods still work', async () => {
    expect((await client().request('DELETE', '/api/nothing-here')).status).toBe(404);
    expect((await client().get('/api/categories')).status).toBe(200);
    expect((await client().request('HEAD', '/api/categories')).status).toBe(200);
  });
});

test('no CORS grant: a cross-origin read or preflight gets no Access-Control-Allow-Origin', async () => {
  const read = await client().get('/api/auth/me', { origin: 'https://evil.example' });
  expect(read.headers.get('access-control-allow-origin')).toBeNull();
  const preflight = await client().request('OPTIONS', '/api/orders', {
    origin: 'https://evil.example',
    headers: { 'access-control-request-method': 'POST' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
});

test('out of stock on many lines: the message stays within the document (over 500 characters before), every line in details', async () => {
  const { client: c } = await userClient(stack.api.url, stack.db);
  const ids: number[] = [];
  for (let i = 0; i < 20; i++) {
    const p = await newProduct(stack.db, 1);
    // A long, realistic name, as the seeded catalogue has ("Pran Red Lentils (Masoor Dal) (10 kg)").
    await stack.db.query('UPDATE products SET name = $2 WHERE id = $1', [
      p,
      `Fresh Chinigura Aromatic Rice, premium grade, ${p} (5 kg)`,
    ]);
    expect((await c.put(`/api/cart/items/${p}`, { quantity: 2 })).status).toBe(200);
    ids.push(p);
  }
  const r = await c.post('/api/orders', checkoutBody(), {
    headers: { 'idempotency-key': newKey() },
  });
  expect(r.status).toBe(409);
  expect(r.body.error.code).toBe('out_of_stock');
  expect(r.body.error.message.length).toBeLessThanOrEqual(500);
  expect(r.body.error.message).toMatch(/ and 17 more$/);
  expect(r.body.error.details.items.map((i: { productId: number }) => i.productId).sort()).toEqual(
    [...ids].sort(),
  );
});
