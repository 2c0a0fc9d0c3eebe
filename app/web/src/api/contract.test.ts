/** @jest-environment node */
// Every request the storefront makes names an operation of the API's OpenAPI document (method
// and path). The shapes are checked at compile time by contract-check.ts.
import { readFileSync } from 'node:fs';
import type { ApiClient, RequestOptions } from './client';
import { endpoints, type Endpoints } from './endpoints';

const doc = JSON.parse(
  readFileSync(require.resolve('@dhakacart/api/generated/openapi.json'), 'utf8'),
) as { paths: Record<string, Record<string, unknown>> };

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.keys(item).map((method) => ({
    method: method.toUpperCase(),
    path,
    re: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`),
  })),
);

const checkout = {
  shippingAddress: {
    name: 'Karim',
    phone: '01712345678',
    line1: 'Road 5',
    city: 'Dhaka',
    postalCode: '1205',
  },
  paymentMethod: 'cod' as const,
};

// One call per endpoint wrapper; a wrapper added without a line here fails the test.
const calls: { [K in keyof Endpoints]: (e: Endpoints) => Promise<unknown> } = {
  categories: (e) => e.categories(),
  products: (e) => e.products({ q: 'rice', category: 'rice', featured: true, page: 2 }),
  product: (e) => e.product('7'),
  me: (e) => e.me(),
  login: (e) => e.login('a@example.test', 'long enough password'),
  register: (e) => e.register('a@example.test', 'long enough password', 'A'),
  logout: (e) => e.logout(),
  cart: (e) => e.cart(),
  setCartQuantity: (e) => e.setCartQuantity('7', 2),
  placeOrder: (e) => e.placeOrder(checkout, 'key-12345678'),
  orders: (e) => e.orders(),
  order: (e) => e.order('5b7c52f5-3c1e-4b8e-9a55-2f7f3f0e8c11'),
  adminOrders: (e) => e.adminOrders(),
  createProduct: (e) =>
    e.createProduct({ sku: 'SKU-1', name: 'N', pricePaisa: 1, stock: 1, category: 'rice' }),
  updateProduct: (e) => e.updateProduct('7', { stock: 3 }),
  opsStatus: (e) => e.opsStatus(),
};

test('every request the storefront makes is an operation of the API document', async () => {
  const made: { method: string; path: string }[] = [];
  const api: ApiClient = async <T>(path: string, opts: RequestOptions = {}) => {
    made.push({ method: opts.method ?? 'GET', path });
    return { slos: [], services: [] } as T;
  };
  const e = endpoints(api);
  expect(Object.keys(calls).sort()).toEqual(Object.keys(e).sort());
  for (const call of Object.values(calls)) await call(e);
  expect(made).toHaveLength(Object.keys(calls).length);
  const unknown = made.filter(
    (m) => !operations.some((o) => o.method === m.method && o.re.test(m.path)),
  );
  expect(unknown).toEqual([]);
});

test('a request outside the document is caught (the matcher is not too loose)', () => {
  const known = (method: string, path: string) =>
    operations.some((o) => o.method === method && o.re.test(path));
  expect(known('GET', '/api/products/7')).toBe(true);
  expect(known('DELETE', '/api/products/7')).toBe(false);
  expect(known('GET', '/api/products/7/reviews')).toBe(false);
  expect(known('GET', '/api/admin/users')).toBe(false);
});
