/**
 * The edge's micro-cache against the running lab (`npm run lab`): public catalogue reads are
 * served from it within the staleness bound, with ETag and 304; and under load no shopper's
 * cart, orders or account is ever served to another. Traffic goes only to the lab's edge.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { closeEdge, edge, EdgeClient, sleep, type Session } from '@dhakacart/lab-client';
import { newShopper, SHIPPING, startLoad, stockedProducts } from '@dhakacart/loadtests';
import { ADMIN_CREDENTIALS } from './paths';

afterAll(() => closeEdge());

test('a catalogue read is served from the edge within 5 s, keyed without cookies, with ETag and 304', async () => {
  const path = `/api/products?page=${1 + Math.floor(Math.random() * 20)}&pageSize=7`;
  const first = await edge().request('GET', path);
  expect(first.status).toBe(200);
  expect(first.headers['cache-control']).toMatch(/^public, max-age=5, s-maxage=[345]$/);
  const etag = first.headers.etag as string;
  expect(etag).toMatch(/^"[\w-]+"$/);
  // A shopper with a session cookie shares the anonymous copy: the key holds no cookie.
  const shopper = await newShopper('edgecache');
  const second = await shopper.call('GET', path);
  expect(second.headers['x-cache']).toBe('HIT');
  expect(second.text).toBe(first.text);
  const revalidated = await edge().request('GET', path, { headers: { 'if-none-match': etag } });
  expect(revalidated.status).toBe(304);
  expect(revalidated.text).toBe('');
});

test('a stock change shows on the product page within the 5 s staleness bound', async () => {
  const admin = JSON.parse(readFileSync(ADMIN_CREDENTIALS, 'utf8')) as {
    email: string;
    password: string;
  };
  const staff = edge().session('admin');
  expect((await staff.call('POST', '/api/auth/login', admin)).status).toBe(200);
  const [id] = await stockedProducts(5);
  const path = `/api/products/${id}`;
  await edge().request('GET', path); // now in the edge's cache
  const before = (await edge().request('GET', path)).body as { product: { stock: number } };
  const stock = before.product.stock + 1 + Math.floor(Math.random() * 5);
  const changedAt = Date.now();
  expect((await staff.call('PATCH', `/api/admin/products/${id}`, { stock })).status).toBe(200);
  let seen = -1;
  while (Date.now() - changedAt < 15_000) {
    seen = ((await edge().request('GET', path)).body as { product: { stock: number } }).product
      .stock;
    if (seen === stock) break;
    await sleep(250);
  }
  const lagMs = Date.now() - changedAt;
  console.log(`edge cache: a stock change showed after ${lagMs} ms (bound 5 s)`);
  expect(seen).toBe(stock);
  expect(lagMs).toBeLessThanOrEqual(6_000);
});

test('under catalogue load, two shoppers reading cart, orders and me each see only their own', async () => {
  const products = await stockedProducts(10, 2);
  const load = startLoad({
    concurrency: 6,
    maxRequests: 20_000,
    maxDurationMs: 60_000,
    request: async (i) =>
      (await edge().request('GET', `/api/products/${products[i % products.length]}`)).status,
  });
  const shoppers: { s: Session; product: number; order: string }[] = [];
  for (const [i, product] of [products[0]!, products[1]!].entries()) {
    const s = await newShopper(`private${i}`, new EdgeClient({ maxSockets: 4 }));
    expect((await s.call('PUT', `/api/cart/items/${product}`, { quantity: 1 })).status).toBe(200);
    const placed = await s.placeOrder(SHIPPING, { key: randomUUID() });
    expect(placed.status).toBe(201);
    // Something in the cart again, to tell the two carts apart.
    expect((await s.call('PUT', `/api/cart/items/${product}`, { quantity: 2 })).status).toBe(200);
    shoppers.push({ s, product, order: placed.orderId! });
  }
  const wrong: string[] = [];
  for (let round = 0; round < 30; round++) {
    await Promise.all(
      shoppers.flatMap(({ s, product, order }, me) => {
        const other = shoppers[1 - me]!;
        const check = async (path: string, ok: (r: unknown, text: string) => boolean) => {
          const r = await s.call('GET', path);
          if (r.status !== 200 || !ok(r.body, r.text) || r.headers['x-cache'] === 'HIT')
            wrong.push(
              `${s.label} ${path}: ${r.status} ${r.headers['x-cache']} ${r.text.slice(0, 120)}`,
            );
          if (!/no-store/.test(String(r.headers['cache-control'])))
            wrong.push(`${path} is cacheable: ${r.headers['cache-control']}`);
        };
        return [
          check('/api/auth/me', (_b, t) => t.includes(s.label) && !t.includes(other.s.label)),
          check(
            '/api/cart',
            (b) =>
              JSON.stringify(
                (b as { items: { productId: number }[] }).items.map((x) => x.productId),
              ) === JSON.stringify([product]),
          ),
          check('/api/orders', (_b, t) => t.includes(order) && !t.includes(other.order)),
        ];
      }),
    );
  }
  const stats = await load.stop();
  expect(stats.sent).toBeGreaterThan(100);
  expect(wrong).toEqual([]);
});
