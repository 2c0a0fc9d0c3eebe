import { randomUUID } from 'node:crypto';
import { edge, type EdgeClient, type OrderAttempt } from '@dhakacart/lab-client';
import type { OrderHistory } from './history';
import { newShopper, SHIPPING } from './shoppers';

/**
 * Logged-in shoppers who each put one item in the cart and check out, over and over, the way
 * the storefront does: every order has one Idempotency-Key, retried after a time-out or a 5xx
 * until it is answered or the recovery budget is spent. Bounded in orders and in time; stops
 * by itself. Every answered order (and every key left unanswered) goes to the history.
 */
export interface ShopperLoopOptions {
  shoppers: number;
  /** Products to buy, spread over so that no one product runs out. */
  products: number[];
  maxOrders: number;
  durationMs: number;
  history: OrderHistory;
  /** A shopper's patience for one request (the client time-out). */
  timeoutMs?: number;
  /** How long one key is retried before it counts as unresolved. */
  budgetMs?: number;
  /** Pause between a shopper's orders. */
  paceMs?: number;
  client?: EdgeClient;
}

export interface ShopperLoopStats {
  placed: number;
  unresolved: number;
  /** Every order attempt (each retry of a key too), for a timeline of the outage. */
  attempts: (OrderAttempt & { step: 'cart' | 'order' })[];
  durationMs: number;
}

export function startShopperLoop(o: ShopperLoopOptions) {
  const client = o.client ?? edge();
  const started = Date.now();
  const stopAt = started + o.durationMs;
  const stats: ShopperLoopStats = { placed: 0, unresolved: 0, attempts: [], durationMs: 0 };
  let stopping = false;
  const running = () => !stopping && Date.now() < stopAt && stats.placed < o.maxOrders;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const shop = async (n: number) => {
    const s = await newShopper(`loop${n}`, client);
    let turn = 0;
    while (running()) {
      const product = o.products[(n + turn++ * o.shoppers) % o.products.length]!;
      // The cart first (an idempotent PUT), retried until it holds the item.
      let inCart = false;
      while (!inCart && running()) {
        const start = Date.now();
        try {
          const r = await s.call(
            'PUT',
            `/api/cart/items/${product}`,
            { quantity: 1 },
            {},
            o.timeoutMs,
          );
          inCart = r.status === 200;
          if (!inCart)
            stats.attempts.push({
              start,
              end: Date.now(),
              status: r.status,
              failure: `cart ${r.status}`,
              step: 'cart',
            });
        } catch (e) {
          stats.attempts.push({
            start,
            end: Date.now(),
            status: 0,
            failure: `cart ${(e as Error).message}`,
            step: 'cart',
          });
        }
        if (!inCart) await sleep(250);
      }
      if (!inCart) break;
      const key = `loop-${randomUUID()}`;
      const out = await s.placeOrder(SHIPPING, {
        key,
        timeoutMs: o.timeoutMs ?? 10_000,
        budgetMs: o.budgetMs ?? 60_000,
      });
      stats.attempts.push(...out.attempts.map((a) => ({ ...a, step: 'order' as const })));
      if (out.status === 201 && out.orderId) {
        stats.placed++;
        o.history.acked({ orderId: out.orderId, key, customer: s.label });
      } else if (out.status === 0) {
        stats.unresolved++;
        o.history.unresolved({ key, customer: s.label, lastFailure: out.attempts.at(-1)?.failure });
      }
      await sleep(o.paceMs ?? 150);
    }
  };

  const done = Promise.all(Array.from({ length: o.shoppers }, (_, i) => shop(i))).then(() => {
    stats.durationMs = Date.now() - started;
    return stats;
  });
  return {
    done,
    async stop() {
      stopping = true;
      return done;
    },
  };
}
