import { Router } from 'express';
import type { CatalogService } from '../../domain/catalog';
import { idParam, parse, productsQuery } from '../validate';

export function catalogRoutes(catalog: CatalogService): Router {
  const r = Router();
  r.get('/categories', async (_req, res) => {
    res.json({ items: await catalog.categories() });
  });
  r.get('/products', async (req, res) => {
    res.json(await catalog.products(parse(productsQuery, req.query, 'query')));
  });
  r.get('/products/:id', async (req, res) => {
    res.json({ product: await catalog.product(parse(idParam, req.params, 'params').id) });
  });
  return r;
}
