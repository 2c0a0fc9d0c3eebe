import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthService, CurrentSession } from '../domain/auth';
import { AppError, forbidden, unauthorized } from '../domain/errors';
import type { Role, User } from '../data/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { RouteKey } from './contract/routes';
import { readCookie, SESSION_COOKIE } from './cookies';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
    session?: CurrentSession | null;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The probes that the edge (each api backend, every 2 s) and the engine call: about two a
 * second per replica. A passing probe is counted in the metrics but not logged: its line said
 * nothing, and 400 of them a minute were most of the lab's log volume and of the engine's log
 * work while idle (ADR 0206). A failing one (e.g. 503 while draining) is still logged.
 */
const PROBE_ROUTES = new Set(['/livez', '/readyz']);

/** Request id (kept from the edge when sane), access log and RED metrics, all in one place. */
export function observe(log: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // The route pattern, never the raw path: bounded label cardinality, no ids in metrics.
      // The mount point is the one recorded on the way in: Express resets req.baseUrl when an
      // error leaves a router, which would drop the /api prefix from failed requests.
      const base = (res.locals.mountPoint as string | undefined) ?? req.baseUrl;
      const route = req.route
        ? `${base}${req.route.path === '/' ? '' : req.route.path}` || '/'
        : res.statusCode >= 500 && res.locals.mountPoint
          ? inferRoute(req.originalUrl)
          : 'unmatched';
      const labels = {
        method: req.method,
        route,
        status: String(res.statusCode),
        version: metrics.version,
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      if (PROBE_ROUTES.has(route) && res.statusCode < 400) return;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      log[level](
        {
          reqId: req.id,
          method: req.method,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e4) / 10,
          customerId: req.session?.user?.id,
        },
        'request',
      );
    });
    next();
  };
}

/**
 * A route label for a request that failed before reaching its route (e.g. the session lookup
 * hit a dead database): its path with every id-like segment as `:id`, so that the SLOs still
 * count it. Only used for 5xx under a known mount point, which keeps the label set bounded.
 */
export function inferRoute(originalUrl: string): string {
  const path = originalUrl.split('?')[0] ?? '';
  return path
    .split('/')
    .map((seg, i) => (i === 0 || /^[a-z][a-z-]{0,30}$/.test(seg) ? seg : ':id'))
    .slice(0, 6)
    .join('/');
}

/** Records where a router is mounted (e.g. /api/auth), for the metrics' route label. */
export const mountPoint: RequestHandler = (req, res, next) => {
  res.locals.mountPoint = req.baseUrl;
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence without tokens: a state-changing request must come from the public origin,
 * shown by its Origin header or, where a browser omits Origin, by Sec-Fetch-Site.
 */
export function sameOrigin(publicOrigin: string): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if (origin ? origin === publicOrigin : site === 'same-origin') return next();
    next(
      new AppError(
        403,
        'cross_origin_rejected',
        'state-changing requests must come from the store origin',
      ),
    );
  };
}

/** Bodies must be JSON: anything else is refused before parsing. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const hasBody =
    Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    return next(new AppError(415, 'unsupported_media_type', 'send the body as application/json'));
  }
  next();
};

/** Loads the session (if any) for routes that need to know who is asking. */
export function loadSession(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    req.session = await auth.session(readCookie(req, SESSION_COOKIE));
    next();
  };
}

export function currentUser(req: Request): User {
  const u = req.session?.user;
  if (!u) throw unauthorized();
  return u;
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const u = currentUser(req);
    if (!roles.includes(u.role)) throw forbidden();
    next();
  };
}

/**
 * A known path asked with a method it does not serve: 405 with `Allow` (RFC 9110), not 404.
 * Mounted after every router, with the routes read from the app itself.
 */
export function methodNotAllowed(routes: RouteKey[]): RequestHandler {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    const methods = byPath.get(r.path) ?? new Set<string>();
    methods.add(r.method.toUpperCase());
    if (r.method === 'get') methods.add('HEAD');
    byPath.set(r.path, methods);
  }
  // Express matches paths case-insensitively and with an optional trailing slash.
  const known = [...byPath].map(([path, methods]) => ({
    re: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i'),
    allow: [...methods].sort().join(', '),
  }));
  return (req, _res, next) => {
    const hit = known.find((k) => k.re.test(req.path));
    if (!hit) return next();
    next(
      new AppError(405, 'method_not_allowed', `use ${hit.allow}`, undefined, { Allow: hit.allow }),
    );
  };
}
