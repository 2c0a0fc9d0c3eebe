import express from 'express';
import request from 'supertest';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { inferRoute, observe } from './middleware';

test('an inferred route keeps word segments and replaces ids, dropping the query', () => {
  expect(inferRoute('/api/orders')).toBe('/api/orders');
  expect(inferRoute('/api/auth/me?x=1')).toBe('/api/auth/me');
  expect(inferRoute('/api/orders/0b1c2d3e-1111-2222-3333-444455556666')).toBe('/api/orders/:id');
  expect(inferRoute('/api/cart/items/42')).toBe('/api/cart/items/:id');
  expect(inferRoute('/api/a/b/c/d/e/f/g/h')).toBe('/api/a/b/c/d');
});

describe('access log', () => {
  function appWithLog() {
    const lines: Array<{ route: string; status: number }> = [];
    const log = createLogger('info', {
      write: (s: string) => {
        lines.push(JSON.parse(s) as { route: string; status: number });
      },
    });
    const metrics = createMetrics('t');
    let readyStatus = 200;
    const app = express();
    app.use(observe(log, metrics));
    app.get('/livez', (_q, r) => void r.json({ status: 'ok' }));
    app.get('/readyz', (_q, r) => void r.status(readyStatus).json({}));
    app.get('/api/categories', (_q, r) => void r.json([]));
    return {
      app,
      lines,
      metrics,
      setReady: (s: number) => {
        readyStatus = s;
      },
    };
  }

  test('passing probes are counted but not logged; a failing probe and every other request are logged', async () => {
    const t = appWithLog();
    await request(t.app).get('/livez').expect(200);
    await request(t.app).get('/readyz').expect(200);
    await request(t.app).get('/api/categories').expect(200);
    t.setReady(503);
    await request(t.app).get('/readyz').expect(503);
    expect(t.lines.map((l) => [l.route, l.status])).toEqual([
      ['/api/categories', 200],
      ['/readyz', 503],
    ]);
    const counted = (await t.metrics.httpRequests.get()).values.map((v) => [
      v.labels.route,
      v.labels.status,
      v.value,
    ]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ['/livez', '200', 1],
        ['/readyz', '200', 1],
        ['/readyz', '503', 1],
      ]),
    );
  });
});
