import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { CatalogService } from '../../domain/catalog';
import { idParam, parse, productsQuery } from '../validate';

/**
 * How long a shared cache (the lab's edge, Cloud CDN in production) and a browser may serve a
 * catalogue answer without asking again: the documented staleness bound of stock and prices on
 * catalogue pages (docs/adr/0205-edge-micro-cache.md). Checkout always reads the database.
 */
export const DEFAULT_CATALOGUE_MAX_AGE_SECONDS = 5;

/**
 * How long shared caches (the edge, a CDN) keep one answer: the max-age, or up to 2 s less,
 * drawn per response. Copies stored together (a cold cache under a sudden crowd: the capacity
 * benchmark stored its 995 URLs within a third of a second) would otherwise expire together, and
 * every one of them would reach the api in the same instant, every max-age seconds: the latency
 * spikes the open-model run showed (ADR 0206). Spread, they expire in different seconds and are
 * stored again at different moments. Never longer than max-age: the staleness bound holds.
 */
export function sharedMaxAge(maxAge: number, random: () => number = Math.random): number {
  const spread = Math.max(0, Math.min(2, maxAge - 1));
  return maxAge - Math.min(spread, Math.floor(random() * (spread + 1)));
}

/**
 * Sends a public catalogue body with its cache headers and a strong ETag over the bytes; a
 * request that already holds them gets 304 and no body.
 */
function sendPublic(req: Request, res: Response, body: string, maxAge: number) {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  res.setHeader(
    'Cache-Control',
    maxAge > 0 ? `public, max-age=${maxAge}, s-maxage=${sharedMaxAge(maxAge)}` : 'no-store',
  );
  res.setHeader('ETag', etag);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === '*')) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(body);
}

export function catalogRoutes(
  catalog: CatalogService,
  maxAge = DEFAULT_CATALOGUE_MAX_AGE_SECONDS,
): Router {
  const r = Router();
  r.get('/categories', async (req, res) => {
    sendPublic(req, res, await catalog.json.categories(), maxAge);
  });
  r.get('/products', async (req, res) => {
    sendPublic(
      req,
      res,
      await catalog.json.products(parse(productsQuery, req.query, 'query')),
      maxAge,
    );
  });
  r.get('/products/:id', async (req, res) => {
    sendPublic(
      req,
      res,
      await catalog.json.product(parse(idParam, req.params, 'params').id),
      maxAge,
    );
  });
  return r;
}
