import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for the API's prom-client output, with the same metric and label names, whose
// traffic mix can be switched while Prometheus scrapes it.

export type Mode = 'healthy' | 'checkout-failing';

interface Route {
  method: string;
  route: string;
  okStatus: string;
}

const ROUTES: Route[] = [
  { method: 'GET', route: '/api/products', okStatus: '200' },
  { method: 'GET', route: '/api/products/:id', okStatus: '200' },
  { method: 'GET', route: '/api/cart', okStatus: '200' },
  { method: 'POST', route: '/api/cart/items/:productId', okStatus: '201' },
  { method: 'POST', route: '/api/orders', okStatus: '201' },
];
const BUCKETS = ['0.1', '0.3', '1', '+Inf'];
const REQUESTS_PER_SECOND = 50;

export interface FakeApi {
  url: string;
  setMode(m: Mode): void;
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  let mode: Mode = 'healthy';
  let last = Date.now();
  const counters = new Map<string, number>();
  const add = (key: string, n: number): void => {
    counters.set(key, (counters.get(key) ?? 0) + n);
  };
  const labels = (o: Record<string, string>): string =>
    Object.entries(o)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');

  // Advances the counters by the traffic of the elapsed time in the current mode.
  const advance = (): void => {
    const now = Date.now();
    const n = (REQUESTS_PER_SECOND * (now - last)) / 1000;
    last = now;
    for (const r of ROUTES) {
      const failing = mode === 'checkout-failing' && r.route === '/api/orders';
      const split: [string, number][] = failing
        ? [
            [r.okStatus, n / 2],
            ['500', n / 2],
          ]
        : [[r.okStatus, n]];
      for (const [status, count] of split) {
        const l = { method: r.method, route: r.route, status };
        add(`http_requests_total{${labels(l)}}`, count);
        for (const le of BUCKETS)
          add(`http_request_duration_seconds_bucket{${labels({ ...l, le })}}`, count);
        add(`http_request_duration_seconds_count{${labels(l)}}`, count);
        add(`http_request_duration_seconds_sum{${labels(l)}}`, count * 0.02);
      }
    }
    const checkouts = n / 5;
    for (const method of ['bkash', 'nagad', 'card', 'cod']) {
      const failed = mode === 'checkout-failing' ? checkouts / 8 : 0;
      add(`checkout_attempts_total{method="${method}",outcome="success"}`, checkouts / 4 - failed);
      add(`checkout_attempts_total{method="${method}",outcome="payment_failed"}`, failed);
    }
  };

  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    advance();
    const body = [...counters].map(([k, v]) => `${k} ${v}`).join('\n');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`${body}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode: (m) => {
      advance();
      mode = m;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
