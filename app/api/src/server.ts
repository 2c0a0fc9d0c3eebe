import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config';
import { createCache } from './cache/cache';
import { createRedis, type Redis } from './cache/redis';
import { catalogRepo } from './data/catalog-repo';
import { cartRepo } from './data/cart-repo';
import { ordersRepo } from './data/orders-repo';
import { paymentLedgerRepo } from './data/payment-ledger-repo';
import { createPool } from './data/pool';
import { sessionsRepo } from './data/sessions-repo';
import { usersRepo } from './data/users-repo';
import { authService } from './domain/auth';
import { cartService } from './domain/cart';
import { catalogService } from './domain/catalog';
import { checkoutService } from './domain/checkout';
import { opsService } from './domain/ops';
import { ordersService } from './domain/orders';
import { simulatedProvider, type PaymentProvider } from './domain/payments';
import { redisPaymentBehaviour } from './domain/payment-behaviour';
import { createRateLimiter } from './domain/rate-limiter';
import { createReadiness } from './health';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { prometheusClient } from './ops/prometheus';
import { prometheusOpsSource } from './ops/queries';
import { logTileReader } from './log-store/log-tile';

export interface RunningApi {
  url: string;
  metricsUrl: string;
  /** Graceful stop: fail readiness, stop accepting, finish in-flight requests, close pools. */
  stop(): Promise<void>;
}

const listen = (server: http.Server, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });

/** The composition root: builds every component from the validated config and starts both servers. */
export async function startApi(
  config: Config,
  log: Logger,
  opts: { payments?: PaymentProvider } = {},
): Promise<RunningApi> {
  const metrics = createMetrics(config.version);
  const pool = createPool(config.db, log);
  let redis: Redis | null = null;
  if (config.redis) {
    redis = createRedis(config.redis, log, (up) =>
      metrics.degraded.set({ dependency: 'redis' }, up ? 0 : 1),
    );
  }
  const cache = createCache({
    redis: config.cache.enabled ? redis : null,
    ttlSeconds: config.cache.ttlSeconds,
    staleWhileRevalidateSeconds: config.cache.staleWhileRevalidateSeconds,
    metrics,
    log,
  });
  // Opens connections only when a failover sends a catalogue read its way.
  const fallbackPool = config.dbFallbackRead ? createPool(config.dbFallbackRead, log) : pool;
  const catalog = catalogService(
    catalogRepo(pool, fallbackPool, config.dbFallbackRead?.hedgeAfterMs),
    cache,
  );
  const auth = authService({
    pool,
    users: usersRepo(pool),
    sessions: sessionsRepo(pool),
    limiter: createRateLimiter(redis),
    metrics,
    sessionKey: config.session.key,
    sessionTtlHours: config.session.ttlHours,
    limits: config.loginLimits,
  });
  const checkout = checkoutService({
    pool,
    orders: ordersRepo(pool),
    payments:
      opts.payments ??
      simulatedProvider({
        ...config.payment,
        ledger: paymentLedgerRepo(pool),
        behaviour:
          config.payment.behaviourSource === 'redis' && redis
            ? redisPaymentBehaviour(redis, config.payment, log)
            : undefined,
      }),
    metrics,
    log,
    paymentTimeoutMs: config.payment.timeoutMs,
    reserveWithinMs: config.checkout.reserveRetryMs,
    onStockChanged: (ids) => catalog.stockChanged(ids),
  });
  const readiness = createReadiness(pool, redis, metrics);
  const app = createApp({
    log,
    metrics,
    readiness,
    catalog,
    auth,
    cart: cartService(cartRepo(pool)),
    checkout,
    orders: ordersService(ordersRepo(pool)),
    ops: opsService({
      source: config.ops.prometheusUrl
        ? prometheusOpsSource(
            prometheusClient(config.ops.prometheusUrl, config.ops.timeoutMs),
            config.ops.platform,
          )
        : null,
      logs: config.ops.logs.url ? logTileReader(config.ops.logs.url, config.ops.logs) : null,
      cacheTtlMs: config.ops.cacheTtlSeconds * 1000,
      log,
    }),
    publicOrigin: config.publicOrigin,
    catalogueMaxAgeSeconds: config.cache.publicMaxAgeSeconds,
    trustProxy: config.trustProxy,
    cookie: { maxAgeSeconds: config.session.ttlHours * 3600, secure: config.session.cookieSecure },
  });

  const metricsApp = express();
  metricsApp.get('/metrics', async (_req, res) => {
    metrics.dbPool.set({ state: 'total' }, pool.totalCount);
    metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
    metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.end(await metrics.registry.metrics());
  });

  let draining = false;
  const server = http.createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    app(req, res);
  });
  // Longer than the edge load balancer's idle timeout, so the LB closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const metricsServer = http.createServer(metricsApp);
  const port = await listen(server, config.port, config.host);
  const metricsPort = await listen(metricsServer, config.metricsPort, config.host);

  // Housekeeping: release stock held by checkouts that crashed mid-payment, drop old sessions.
  const housekeeping = setInterval(() => {
    checkout
      .releaseAbandoned(Math.ceil(config.payment.timeoutMs / 1000) * 3 + 60)
      .catch(() => undefined);
    sessionsRepo(pool)
      .deleteExpired()
      .catch(() => undefined);
  }, 60_000);
  housekeeping.unref();

  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    metricsUrl: `http://${host}:${metricsPort}/metrics`,
    async stop() {
      readiness.drain();
      clearInterval(housekeeping);
      // Give the load balancer time to see readiness fail before we stop accepting.
      if (config.shutdown.delayMs) await new Promise((r) => setTimeout(r, config.shutdown.delayMs));
      draining = true;
      await new Promise<void>((resolve) => {
        // Idle keep-alive connections would hold close() open: close them now and as each
        // in-flight request finishes (those answers also carry `Connection: close`).
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await pool.end();
      if (fallbackPool !== pool) await fallbackPool.end();
      redis?.disconnect();
    },
  };
}
