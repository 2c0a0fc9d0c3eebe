import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Pool } from 'pg';
import { retryWhileDbUnavailable, withTransaction } from '../data/pool';
import { cartRepo, userOwner } from '../data/cart-repo';
import type { OrdersRepo } from '../data/orders-repo';
import type { Order, PaymentMethod, ShippingAddress } from '../data/types';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { AppError, listMessage } from './errors';
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
  /**
   * How long one request keeps retrying its reserve transaction while the database is
   * unavailable (default 8 s, inside a shopper's 10 s patience).
   */
  reserveWithinMs?: number;
  /** How long a retry waits for a live request that still holds the order (default 8 s). */
  resumeWaitMs?: number;
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
  leaseOwner: _l,
  ...o
}: Order & { requestHash?: string; leaseOwner?: string | null }) => o as PublicOrder;

/** This process, in the names of the leases its requests take. */
const INSTANCE = `${hostname()}:${process.pid}`;

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
 *     order and create a `pending` order — no oversell, no deadlock, one order per key. The
 *     order carries a lease: the request that made it owns it until the lease expires;
 *  2. after the provider answers, mark it paid/confirmed and clear the cart, or mark it
 *     payment_failed and put the stock back. Row locks are never held across the payment call.
 * A request that loses the reserve's answer (the connection cut after COMMIT, in a failover)
 * runs the reserve again and finds its own order. A retry of the key that finds the order
 * pending waits while the lease is live, then takes the lease over and finishes the order: the
 * charge is idempotent per order id, so resuming never charges twice (ADR 0002). Orders nobody
 * resumes are reconciled with the provider by `releaseAbandoned`.
 */
export function checkoutService(d: CheckoutDeps) {
  const carts = cartRepo(d.pool);

  const leaseMs = d.paymentTimeoutMs + 2000;

  /**
   * Finishes a pending order someone else created: waits while its lease is live (that request
   * may still be paying), then takes the lease over and completes the payment step itself.
   */
  async function resume(orderId: string, lease: string): Promise<Order> {
    const deadline = Date.now() + (d.resumeWaitMs ?? 8000);
    for (;;) {
      const o = await d.orders.findById(orderId);
      if (!o) throw new Error(`order ${orderId} vanished while pending`);
      if (o.status !== 'pending') return o;
      if (await d.orders.takeLease(d.pool, orderId, lease, leaseMs)) {
        d.log.info({ orderId }, 'resuming a pending order whose request did not finish it');
        return pay(orderId, o.userId, o.paymentMethod, o.totalPaisa);
      }
      if (Date.now() > deadline) {
        throw new AppError(
          409,
          'checkout_in_progress',
          'this checkout is still being processed',
          undefined,
          { 'Retry-After': '1' },
        );
      }
      await sleep(100);
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

  async function pay(orderId: string, userId: string, method: PaymentMethod, totalPaisa: number) {
    const chargeOnce = async () => {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), d.paymentTimeoutMs);
      try {
        return await d.payments.charge({ orderId, amountPaisa: totalPaisa, method }, ac.signal);
      } finally {
        clearTimeout(timer);
      }
    };
    let result;
    try {
      // The charge is idempotent per order, so an unreachable dependency (the provider's link,
      // or the simulation's ledger in a database failover) is retried, never turned into a
      // declined payment; a decline or a time-out is the provider's answer.
      result = await retryWhileDbUnavailable(chargeOnce, d.recordOutcomeWithinMs ?? 30_000);
    } catch (e) {
      result = { ok: false as const, reason: (e as Error).message };
    }
    // The payment has happened: record it even if the database is failing over right now.
    // Giving up would leave the order pending, and every retry of its key waiting, until
    // housekeeping fails it minutes later (seen in the lab's leader-kill test).
    const order = await retryWhileDbUnavailable(
      () =>
        withTransaction(d.pool, async (c) => {
          if (result.ok) {
            const status = method === 'cod' ? 'confirmed' : 'paid';
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
    d.metrics.checkoutAttempts.inc({ method, outcome: result.ok ? 'success' : 'payment_failed' });
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
      const lease = `${INSTANCE}:${randomUUID()}`;
      // Retried while the database is unreachable: when a COMMIT's answer was lost with the
      // connection, the next try finds the order this request made (its own lease) and goes on.
      const reserved = await retryWhileDbUnavailable(
        () =>
          withTransaction(d.pool, async (c) => {
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
              d.metrics.checkoutAttempts.inc({
                method: input.paymentMethod,
                outcome: 'out_of_stock',
              });
              throw new AppError(
                409,
                'out_of_stock',
                listMessage(
                  'not enough stock for: ',
                  short.map((s) => s.name),
                ),
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
              lease: { owner: lease, ms: leaseMs },
            });
            return { created: { id, totalPaisa, productIds: items.map((i) => i.productId) } };
          }),
        d.reserveWithinMs ?? 8000,
      );

      if ('existing' in reserved && reserved.existing) {
        const e = reserved.existing;
        if (e.status !== 'pending') return answer(e, true);
        if (e.leaseOwner === lease) {
          // This request's own reserve, whose answer was lost: finish it as if nothing happened.
          const order = await pay(e.id, userId, e.paymentMethod, e.totalPaisa);
          await d.onStockChanged(e.items.map((i) => i.productId)).catch(() => undefined);
          return answer(order, false);
        }
        return answer(await resume(e.id, lease), true);
      }
      const { id, totalPaisa, productIds } = reserved.created!;
      const order = await pay(id, userId, input.paymentMethod, totalPaisa);
      await d.onStockChanged(productIds).catch(() => undefined);
      return answer(order, false);
    },

    /**
     * Settles orders left pending with no live request (a crash mid-checkout, a shopper who never
     * retried): the provider is asked whether it charged the order. Charged, the order is paid or
     * confirmed; not charged, it fails and its stock returns.
     */
    async releaseAbandoned(olderThanSeconds: number): Promise<number> {
      return withTransaction(d.pool, async (c) => {
        const ids = await d.orders.lockStalePending(c, olderThanSeconds, 100);
        let settled = 0;
        for (const id of ids) {
          const charge = await d.payments.status(id);
          const o = await d.orders.findById(id, c);
          if (charge?.ok && o) {
            const status = o.paymentMethod === 'cod' ? 'confirmed' : 'paid';
            await d.orders.finish(c, id, status, { reference: charge.reference });
            settled++;
          } else {
            const reason =
              charge && !charge.ok ? charge.reason : 'abandoned before payment completed';
            await failAndRestock(c, id, reason);
          }
        }
        if (ids.length)
          d.log.warn({ count: ids.length, settled }, 'reconciled abandoned pending orders');
        return ids.length;
      });
    },
  };
}

export type CheckoutService = ReturnType<typeof checkoutService>;
