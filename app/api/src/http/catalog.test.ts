import { Client } from '../test-support/client';
import { ORIGIN, startStack, type TestStack } from '../test-support/stack';

let stack: TestStack;
let c: Client;
beforeAll(async () => {
  stack = await startStack();
  c = new Client(stack.api.url, ORIGIN);
});
afterAll(() => stack?.stop());

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(stack.api.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('catalogue', () => {
  test('lists at least 10 categories with product counts', async () => {
    const r = await c.get('/api/categories');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThanOrEqual(10);
    expect(
      r.body.items.reduce((s: number, x: any) => s + x.productCount, 0),
    ).toBeGreaterThanOrEqual(2000);
  });

  test('pages through products with integer paisa prices', async () => {
    const p1 = await c.get('/api/products?page=1&pageSize=50');
    const p2 = await c.get('/api/products?page=2&pageSize=50');
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ page: 1, pageSize: 50 });
    expect(p1.body.total).toBeGreaterThanOrEqual(2000);
    expect(p1.body.items).toHaveLength(50);
    const ids1 = new Set(p1.body.items.map((i: any) => i.id));
    expect(p2.body.items.some((i: any) => ids1.has(i.id))).toBe(false);
    for (const i of p1.body.items) {
      expect(Object.keys(i)).toEqual(
        expect.arrayContaining([
          'id',
          'sku',
          'name',
          'pricePaisa',
          'stock',
          'category',
          'imageUrl',
        ]),
      );
      expect(Number.isInteger(i.pricePaisa)).toBe(true);
    }
  });

  test('filters by category', async () => {
    const r = await c.get('/api/products?category=beverages&pageSize=100');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
    expect(r.body.items.every((i: any) => i.category === 'beverages')).toBe(true);
  });

  test('full-text search finds products by word stem', async () => {
    const r = await c.get('/api/products?q=sarees');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
    expect(r.body.items.every((i: any) => /saree/i.test(i.name))).toBe(true);
  });

  test('SQL metacharacters and markup in a search are inert', async () => {
    const before = await stack.db.query('SELECT count(*)::int AS n FROM products');
    for (const q of [
      "'; DROP TABLE products; --",
      '<script>alert(1)</script>',
      '" OR 1=1 --',
      '\\\\%_',
    ]) {
      const r = await c.get(`/api/products?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/application\/json/);
    }
    const after = await stack.db.query('SELECT count(*)::int AS n FROM products');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  test('product detail, 404 for a missing one, 400 for a malformed id', async () => {
    const list = await c.get('/api/products?pageSize=1');
    const id = list.body.items[0].id;
    const r = await c.get(`/api/products/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.product).toMatchObject({ id, sku: list.body.items[0].sku });
    expect((await c.get('/api/products/99999999')).status).toBe(404);
    // An error thrown inside a router is still labelled with the full route pattern.
    expect(
      await metric(
        'http_requests_total',
        '{method="GET",route="/api/products/:id",status="404",version="unversioned"}',
      ),
    ).toBeGreaterThan(0);
    for (const bad of ['abc', '-1', '1.5', '0', '99999999999']) {
      const b = await c.get(`/api/products/${bad}`);
      expect(b.status).toBe(400);
      expect(b.body.error.code).toBe('invalid_request');
    }
  });

  test('rejects unknown and out-of-range query parameters', async () => {
    for (const qs of [
      'foo=1',
      'pageSize=1000',
      'page=0',
      'category=NOT%20A%20SLUG',
      `q=${'x'.repeat(101)}`,
    ]) {
      const r = await c.get(`/api/products?${qs}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual(
        expect.objectContaining({ code: 'invalid_request', message: expect.any(String) }),
      );
    }
  });

  test('serves repeated reads from Redis and counts hits', async () => {
    const url = '/api/products?category=books&page=3&pageSize=7';
    const loads0 = await metric('catalog_db_loads_total');
    const hits0 = await metric('cache_requests_total', '{result="hit"}');
    const a = await c.get(url);
    const b = await c.get(url);
    expect(b.body).toEqual(a.body);
    expect((await metric('catalog_db_loads_total')) - loads0).toBe(1);
    expect((await metric('cache_requests_total', '{result="hit"}')) - hits0).toBe(1);
  });

  test('a stampede of concurrent misses on one hot key loads it from PostgreSQL once', async () => {
    const url = '/api/products?category=sports&page=2&pageSize=13';
    const loads0 = await metric('catalog_db_loads_total');
    const replies = await Promise.all(Array.from({ length: 50 }, () => c.get(url)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect((await metric('catalog_db_loads_total')) - loads0).toBe(1);
  });
});

describe('catalogue answers for shared caches (the edge, a CDN)', () => {
  test('shared caches keep each answer 3 to 5 s, spread, so copies stored together do not expire together', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${stack.api.url}/api/products/1`);
      await r.arrayBuffer();
      const v = /s-maxage=(\d+)/.exec(r.headers.get('cache-control') ?? '')?.[1] ?? 'none';
      seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    // Each of 3, 4 and 5 is drawn with a third's chance: all three in 40 answers, or the
    // spread is gone (a chance of failing by luck below 1e-6); nothing above max-age.
    expect([...seen.keys()].sort()).toEqual(['3', '4', '5']);
  });

  test('are public for 5 s with a strong ETag, and a matching If-None-Match gets 304 and no body', async () => {
    for (const path of ['/api/categories', '/api/products?page=2&pageSize=5', '/api/products/1']) {
      const r = await fetch(`${stack.api.url}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toMatch(/^public, max-age=5, s-maxage=[345]$/);
      const etag = r.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      const body = await r.text();
      // The bytes are the ones the cache holds: valid JSON, as before.
      expect(() => JSON.parse(body)).not.toThrow();
      const again = await fetch(`${stack.api.url}${path}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      const other = await fetch(`${stack.api.url}${path}`, {
        headers: { 'if-none-match': '"something-else"' },
      });
      expect(other.status).toBe(200);
    }
  });

  test('a missing product is a 404 that no cache keeps; cart and auth answers are never public', async () => {
    const missing = await fetch(`${stack.api.url}/api/products/999999999`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/api/cart', '/api/auth/me', '/api/orders']) {
      const r = await fetch(`${stack.api.url}${path}`);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });
});
