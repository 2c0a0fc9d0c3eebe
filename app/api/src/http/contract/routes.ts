import type { Express } from 'express';
import type { Method } from './operations';

export interface RouteKey {
  method: Method;
  /** OpenAPI form: /api/products/{id}. */
  path: string;
}

// Express 5's router (the `router` package) keeps each layer's mount path as rawPath.
interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const join = (a: string, b: string) => (a + (b === '/' ? '' : b)).replace(/\/+/g, '/') || '/';
const toOpenApi = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * Every route the app serves, read from the real Express router (not from a list kept by hand):
 * route layers give method and path, router layers are walked with their mount path.
 */
export function listRoutes(app: Express): RouteKey[] {
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: RouteKey[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') {
          throw new Error(
            `a route under ${prefix || '/'} has a non-string path; the contract cannot name it`,
          );
        }
        for (const [m, on] of Object.entries(layer.route.methods)) {
          if (on && m !== '_all') {
            out.push({
              method: m as Method,
              path: toOpenApi(join(prefix, layer.route.path)),
            });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk(root.stack, '');
  // A router mounted twice at the same place (none today) would list its routes twice.
  const seen = new Set<string>();
  return out
    .filter((r) => {
      const k = `${r.method} ${r.path}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
