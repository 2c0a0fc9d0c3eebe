import { Router } from 'express';
import type { CatalogService } from '../../domain/catalog';
import type { OrdersService } from '../../domain/orders';
import { requireRole } from '../middleware';
import {
  adminOrdersQuery,
  createProductBody,
  idParam,
  parse,
  updateProductBody,
} from '../validate';

/** The API enforces roles itself; the storefront's guards are only a convenience. */
export function adminRoutes(
  catalog: CatalogService,
  orders: OrdersService,
  openApiDocument: object,
): Router {
  const r = Router();
  r.post('/products', requireRole('admin'), async (req, res) => {
    res
      .status(201)
      .json({ product: await catalog.createProduct(parse(createProductBody, req.body, 'body')) });
  });
  r.patch('/products/:id', requireRole('admin'), async (req, res) => {
    const { id } = parse(idParam, req.params, 'params');
    res.json({
      product: await catalog.updateProduct(id, parse(updateProductBody, req.body, 'body')),
    });
  });
  r.get('/orders', requireRole('staff', 'admin'), async (req, res) => {
    res.json(await orders.all(parse(adminOrdersQuery, req.query, 'query')));
  });
  // The contract is for the people who run the store, not a map for anyone probing it.
  r.get('/openapi.json', requireRole('staff', 'admin'), (_req, res) => {
    res.json(openApiDocument);
  });
  return r;
}
