import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the API exports, on its own registry (served on the metrics port only). The
 * request series carry the running version (`version`), so a release's gate can judge the new
 * version's own requests while the old one still serves (tools/release); `app_info` names it.
 */
export function createMetrics(version = 'unversioned') {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms, not prom-client's default 10 ms: the 10 ms
  // timer alone cost each idle replica 0.69% of a core against 0.09% (measured side by side, idle
  // processes, 120 s; ADR 0206), about 1% of the idle lab's two cores over three replicas. The
  // lag gauges still see any stall that holds the loop past a sample; nothing alerts on them.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const labels = ['method', 'route', 'status', 'version'] as const;
  new Gauge({
    name: 'app_info',
    help: 'The running api release (always 1)',
    labelNames: ['version'] as const,
    registers: [registry],
  }).set({ version }, 1);
  return {
    version,
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status code',
      labelNames: labels,
      registers: [registry],
    }),
    // Bucket edges at 0.1, 0.3 and 1 s make those latency SLOs exact.
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: labels,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    dbPool: new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    cacheRequests: new Counter({
      name: 'cache_requests_total',
      help: 'Catalogue cache look-ups by result (hit, revalidate, miss, stale, error, bypass)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    catalogDbLoads: new Counter({
      name: 'catalog_db_loads_total',
      help: 'Catalogue reads that went to PostgreSQL (cache misses, fallbacks, bypass)',
      registers: [registry],
    }),
    degraded: new Gauge({
      name: 'api_degraded',
      help: '1 while a dependency is unavailable and the API serves in degraded mode',
      labelNames: ['dependency'] as const,
      registers: [registry],
    }),
    checkoutAttempts: new Counter({
      name: 'checkout_attempts_total',
      help: 'Checkout attempts by payment method and outcome',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    loginAttempts: new Counter({
      name: 'login_attempts_total',
      help: 'Login attempts by outcome (success, invalid, rate_limited)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
