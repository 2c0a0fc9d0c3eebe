import { Router } from 'express';
import type { CheckoutService } from '../../domain/checkout';
import type { OrdersService } from '../../domain/orders';
import { AppError } from '../../domain/errors';
import { currentUser } from '../middleware';
import { checkoutBody, idempotencyKey, pageQuery, parse, uuidParam } from '../validate';

export function orderRoutes(checkout: CheckoutService, orders: OrdersService): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    const user = currentUser(req);
    const rawKey = req.get('idempotency-key');
    if (rawKey === undefined) {
      throw new AppError(400, 'idempotency_key_required', 'send an Idempotency-Key header');
    }
    const key = parse(idempotencyKey, rawKey, 'header.idempotency-key');
    const body = parse(checkoutBody, req.body, 'body');
    const { order, replayed } = await checkout.checkout(user.id, key, body);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).json({ order });
  });
  r.get('/', async (req, res) => {
    const { page, pageSize } = parse(pageQuery, req.query, 'query');
    res.json(await orders.mine(currentUser(req), page, pageSize));
  });
  r.get('/:id', async (req, res) => {
    const user = currentUser(req);
    const parsed = uuidParam.safeParse(req.params);
    // A malformed id names no order: 404, like any order that is not yours.
    if (!parsed.success) throw new AppError(404, 'not_found', 'order not found');
    res.json({ order: await orders.one(user, parsed.data.id) });
  });
  return r;
}
