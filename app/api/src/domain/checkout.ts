import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { retryWhileDbUnavailable, withTransaction } from '../data/pool';
import { cartRepo, userOwner } from '../data/cart-repo';
import type { OrdersRepo } from '../data/orders-repo';
import type { Order, PaymentMethod, ShippingAddress } from '../data/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { AppError } from './errors';
import type { PaymentProvider } from './payments';

export interface CheckoutInput {
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
}

export interface CheckoutDeps {
  pool: Pool;
  orders: OrdersRepo;
  payments: PaymentProvider;
  metrics: Metrics;
  log: Logger;
  paymentTimeoutMs: number;
  /** How long to keep trying to record a payment's outcome while the database fails over. */
  recordOutcomeWithinMs?: number;
  onStockChanged: (productIds: number[]) => Promise<void>;
}

export interface CheckoutResult {
  order: PublicOrder;
  replayed: boolean;
}

export type PublicOrder = Omit<Order, 'userId'>;

export const toPublicOrder = ({
  userId: _u,
  requestHash: _r,
  ...o
}: Order & { requestHash?: string }) => o as PublicOrder;

const requestHash = (input: CheckoutInput) => {
  const a = input.shippingAddress;
  return createHash('sha256')
    .update(JSON.stringify([input.paymentMethod, a.name, a.phone, a.line1, a.city, a.postalCode]))
    .digest('hex');
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checkout in two short transactions around the payment call:
 *  1. under an advisory lock on (user, idempotency key), reserve stock with row locks taken in id
 *     order and create a `pending` order — no oversell, no deadlock, one order per key;
 *  2. after the provider answers, mark it paid/confirmed and clear the cart, or mark it
 *     payment_failed and put the stock back. Row locks are never held across the payment call.
 * A crash between the two leaves a pending order that `releaseAbandoned` cleans up.
 */
export function checkoutService(d: CheckoutDeps) {
  const carts = cartRepo(d.pool);

  async function waitForFinal(userId: string, key: string): Promise<Order> {
    const deadline = Date.now() + d.paymentTimeoutMs + 2000;
    for (;;) {
      const o = await d.orders.findByKey(userId, key);
      if (o && o.status !== 'pending') return o;
      if (Date.now() > deadline) {
        throw new AppError(
          409,
          'checkout_in_progress',
          'this checkout is still being processed',
          undefined,
          {
            'Retry-After': '1',
          },
        );
      }
      await sleep(50);
    }
  }

  function answer(o: Order, replayed: boolean): CheckoutResult {
    if (o.status === 'payment_failed') {
      throw new AppError(402, 'payment_failed', o.failureReason ?? 'the payment failed', {
        orderId: o.id,
      });
    }
    return { order: toPublicOrder(o), replayed };
  }

  async function pay(orderId: string, userId: string, input: CheckoutInput, totalPaisa: number) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), d.paymentTimeoutMs);
    let result;
    try {
      result = await d.payments.charge(
        { orderId, amountPaisa: totalPaisa, method: input.paymentMethod },
        ac.signal,
      );
    } catch (e) {
      result = { ok: false as const, reason: (e as Error).message };
    } finally {
      clearTimeout(timer);
    }
    // The payment has happened: record it even if the database is failing over right now.
    // Giving up would leave the order pending, and every retry of its key waiting, until
    // housekeeping fails it minutes later (seen in the lab's leader-kill test).
    const order = await retryWhileDbUnavailable(
      () =>
        withTransaction(d.pool, async (c) => {
          if (result.ok) {
            const status = input.paymentMethod === 'cod' ? 'confirmed' : 'paid';
            // Only the attempt that records the outcome empties the cart: a retry after a commit
            // whose answer was lost must not clear what the customer added since.
            if (await d.orders.finish(c, orderId, status, { reference: result.reference }))
              await carts.clear(userOwner(userId), c);
          } else {
            await failAndRestock(c, orderId, result.reason);
          }
          return (await d.orders.findById(orderId, c))!;
        }),
      d.recordOutcomeWithinMs ?? 30_000,
    );
    d.metrics.checkoutAttempts.inc({
      method: input.paymentMethod,
      outcome: result.ok ? 'success' : 'payment_failed',
    });
    return order;
  }

  async function failAndRestock(c: import('pg').PoolClient, orderId: string, reason: string) {
    const o = await d.orders.findById(orderId, c);
    if (!o) return;
    if (await d.orders.finish(c, orderId, 'payment_failed', { reason })) {
      await d.orders.adjustStock(
        c,
        o.items.map((i) => ({ productId: i.productId, delta: i.quantity })),
      );
    }
  }

  return {
    async checkout(userId: string, key: string, input: CheckoutInput): Promise<CheckoutResult> {
      const hash = requestHash(input);
      const reserved = await withTransaction(d.pool, async (c) => {
        await d.orders.lockIdempotencyKey(c, userId, key);
        const existing = await d.orders.findByKey(userId, key, c);
        if (existing) {
          if (existing.requestHash !== hash) {
            throw new AppError(
              422,
              'idempotency_key_reused',
              'this Idempotency-Key was used with a different request',
            );
          }
          return { existing };
        }
        const lines = await carts.lines(userOwner(userId), c);
        if (lines.length === 0) throw new AppError(422, 'cart_empty', 'the cart is empty');
        const locked = await d.orders.lockProducts(
          c,
          lines.map((l) => l.productId),
        );
        const byId = new Map(locked.map((p) => [p.id, p]));
        const short = lines
          .filter((l) => (byId.get(l.productId)?.stock ?? 0) < l.quantity)
          .map((l) => ({
            productId: l.productId,
            name: l.name,
            requested: l.quantity,
            available: byId.get(l.productId)?.stock ?? 0,
          }));
        if (short.length) {
          d.metrics.checkoutAttempts.inc({ method: input.paymentMethod, outcome: 'out_of_stock' });
          throw new AppError(
            409,
            'out_of_stock',
            `not enough stock for: ${short.map((s) => s.name).join(', ')}`,
            {
              items: short,
            },
          );
        }
        const items = lines.map((l) => ({
          productId: l.productId,
          name: byId.get(l.productId)!.name,
          quantity: l.quantity,
          pricePaisa: byId.get(l.productId)!.pricePaisa,
        }));
        const totalPaisa = items.reduce((s, i) => s + i.quantity * i.pricePaisa, 0);
        await d.orders.adjustStock(
          c,
          items.map((i) => ({ productId: i.productId, delta: -i.quantity })),
        );
        const id = await d.orders.insert(c, {
          userId,
          key,
          requestHash: hash,
          paymentMethod: input.paymentMethod,
          totalPaisa,
          shippingAddress: input.shippingAddress,
          items,
        });
        return { created: { id, totalPaisa, productIds: items.map((i) => i.productId) } };
      });

      if ('existing' in reserved && reserved.existing) {
        const o =
          reserved.existing.status === 'pending'
            ? await waitForFinal(userId, key)
            : reserved.existing;
        return answer(o, true);
      }
      const { id, totalPaisa, productIds } = reserved.created!;
      const order = await pay(id, userId, input, totalPaisa);
      await d.onStockChanged(productIds).catch(() => undefined);
      return answer(order, false);
    },

    /** Fails orders left pending (a crash mid-checkout) and returns their stock. */
    async releaseAbandoned(olderThanSeconds: number): Promise<number> {
      return withTransaction(d.pool, async (c) => {
        const ids = await d.orders.lockStalePending(c, olderThanSeconds, 100);
        for (const id of ids) await failAndRestock(c, id, 'abandoned before payment completed');
        if (ids.length) d.log.warn({ count: ids.length }, 'released abandoned pending orders');
        return ids.length;
      });
    },
  };
}

export type CheckoutService = ReturnType<typeof checkoutService>;
