import express, { type Express } from 'express';
import type { AuthService } from '../domain/auth';
import type { CartService } from '../domain/cart';
import type { CatalogService } from '../domain/catalog';
import type { CheckoutService } from '../domain/checkout';
import type { OpsService } from '../domain/ops';
import type { OrdersService } from '../domain/orders';
import type { Readiness } from '../health';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { buildOpenApi } from './contract/openapi';
import { errorHandler, notFoundHandler } from './error-handler';
import { listRoutes } from './contract/routes';
import {
  loadSession,
  methodNotAllowed,
  mountPoint,
  observe,
  requireJson,
  sameOrigin,
} from './middleware';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { cartRoutes } from './routes/cart';
import { catalogRoutes } from './routes/catalog';
import { healthRoutes } from './routes/health';
import { opsRoutes } from './routes/ops';
import { orderRoutes } from './routes/orders';

export interface AppDeps {
  log: Logger;
  metrics: Metrics;
  readiness: Readiness;
  catalog: CatalogService;
  auth: AuthService;
  cart: CartService;
  checkout: CheckoutService;
  orders: OrdersService;
  ops: OpsService;
  publicOrigin: string;
  trustProxy: number | string;
  cookie: { maxAgeSeconds: number; secure: boolean };
  /** Seconds shared caches may keep a public catalogue answer (0: not at all). */
  catalogueMaxAgeSeconds?: number;
}

/** The public HTTP API. Routes are thin: they validate, call a domain service and answer. */
export function createApp(d: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', d.trustProxy);
  app.set('etag', false);

  app.use(observe(d.log, d.metrics));
  app.use(healthRoutes(d.readiness));

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  api.use(sameOrigin(d.publicOrigin));
  api.use(requireJson);
  api.use(express.json({ limit: '100kb', strict: true, type: 'application/json' }));

  api.use(mountPoint, catalogRoutes(d.catalog, d.catalogueMaxAgeSeconds));
  const session = loadSession(d.auth);
  api.use('/auth', mountPoint, session, authRoutes(d.auth, d.cookie));
  api.use('/cart', mountPoint, session, cartRoutes(d.cart, d.auth, d.cookie));
  api.use('/orders', mountPoint, session, orderRoutes(d.checkout, d.orders));
  api.use('/admin', mountPoint, session, adminRoutes(d.catalog, d.orders, buildOpenApi()));
  api.use('/ops', mountPoint, session, opsRoutes(d.ops));
  app.use('/api', api);

  app.use(methodNotAllowed(listRoutes(app)));
  app.use(notFoundHandler);
  app.use(errorHandler(d.log));
  return app;
}
