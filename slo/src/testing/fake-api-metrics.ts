import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for the API's prom-client output and for the lab edge's HAProxy exporter in front
// of it, with the same metric and label names, whose traffic mix can be switched while
// Prometheus scrapes it. The api's series are on /metrics (scrape as job `api`), the edge's on
// EDGE_METRICS_PATH (scrape as job `edge`).

/**
 * healthy: no errors anywhere. checkout-failing: the api answers half of POST /api/orders with
 * 500, which the edge passes on. edge-unavailable: the edge answers half of the browse requests
 * with its own 503 (no ready replica) and they never reach the api, which records no error.
 */
export type Mode = 'healthy' | 'checkout-failing' | 'edge-unavailable';

export const EDGE_METRICS_PATH = '/edge/metrics';

interface Route {
  method: string;
  route: string;
  okStatus: string;
  /** The edge backend (one per SLO journey) that carries the route. */
  proxy: string;
}

const ROUTES: Route[] = [
  { method: 'GET', route: '/api/products', okStatus: '200', proxy: 'api_browse' },
  { method: 'GET', route: '/api/products/:id', okStatus: '200', proxy: 'api_browse' },
  { method: 'GET', route: '/api/cart', okStatus: '200', proxy: 'api_cart' },
  { method: 'POST', route: '/api/cart/items/:productId', okStatus: '201', proxy: 'api_cart' },
  { method: 'POST', route: '/api/orders', okStatus: '201', proxy: 'api_checkout' },
];
const EDGE_CODES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'];
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
  const edge = new Map<string, number>();
  const add = (key: string, n: number, into = counters): void => {
    into.set(key, (into.get(key) ?? 0) + n);
  };
  // HAProxy exports every code class of every backend from the start, at 0.
  for (const proxy of new Set(ROUTES.map((r) => r.proxy)))
    for (const code of EDGE_CODES)
      add(`haproxy_backend_http_responses_total{proxy="${proxy}",code="${code}"}`, 0, edge);
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
      // The edge's own 503s: half of the browse traffic never reaches the api.
      const edgeOnly = mode === 'edge-unavailable' && r.proxy === 'api_browse' ? n / 2 : 0;
      const reaching = n - edgeOnly;
      add(`haproxy_backend_http_responses_total{proxy="${r.proxy}",code="5xx"}`, edgeOnly, edge);
      const split: [string, number][] = failing
        ? [
            [r.okStatus, reaching / 2],
            ['500', reaching / 2],
          ]
        : [[r.okStatus, reaching]];
      for (const [status, count] of split) {
        add(
          `haproxy_backend_http_responses_total{proxy="${r.proxy}",code="${status[0]}xx"}`,
          count,
          edge,
        );
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
    const series =
      req.url === '/metrics' ? counters : req.url === EDGE_METRICS_PATH ? edge : undefined;
    if (!series) {
      res.writeHead(404).end();
      return;
    }
    advance();
    const body = [...series].map(([k, v]) => `${k} ${v}`).join('\n');
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

/** scrape_configs entries (YAML lines) for a fake: its api and its edge, named as in the lab. */
export function fakeScrapeJobs(fakeUrl: string): string[] {
  const host = new URL(fakeUrl).host;
  return [
    '  - job_name: api',
    `    static_configs: [{ targets: ['${host}'] }]`,
    '  - job_name: edge',
    `    metrics_path: ${EDGE_METRICS_PATH}`,
    `    static_configs: [{ targets: ['${host}'] }]`,
  ];
}
