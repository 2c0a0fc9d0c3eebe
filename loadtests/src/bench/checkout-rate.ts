import { randomUUID } from 'node:crypto';
import { EdgeClient, type Session } from '@dhakacart/lab-client';
import { newShopper, SHIPPING, stockedProducts } from '../shoppers';
import { percentile } from './vegeta';

export interface CheckoutRateResult {
  targetOrdersPerSecond: number;
  seconds: number;
  customers: number;
  productsSpread: number;
  orders: {
    /** Orders the schedule started (an open model: one every 1/rate s, however slow answers are). */
    sent: number;
    placed: number;
    failed: number;
    /** Orders the schedule could not start because every customer was still busy. */
    notStarted: number;
    perSecond: number;
    p50Ms: number;
    p99Ms: number;
  };
  cart: { sent: number; failed: number; p99Ms: number };
  failures: Record<string, number>;
  /**
   * The same schedule run first and not counted: new api connections, V8's JIT and the
   * database's caches warm up, as they are in a store that has been serving (0 s: none).
   */
  warmup: { seconds: number; placed: number; failed: number; p99Ms: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checkout at a steady order rate by logged-in customers, each order of 1-3 items from at least
 * 500 products. An open model: an order starts every 1/rate s whatever the answers' speed, taken
 * by a customer who is not busy; it puts its items in the cart, then places the order with a
 * new Idempotency-Key, as the storefront does. The order's latency is the POST's alone; cart
 * requests are measured apart and not counted in the rate.
 */
export async function checkoutAtRate(o: {
  ordersPerSecond: number;
  seconds: number;
  minProducts?: number;
  /** Customers in the pool (default 4 s of orders: an order may take that long before one is short). */
  customers?: number;
  /** Seconds of the same schedule before the measurement, reported apart (default 5). */
  warmupSeconds?: number;
  onProgress?: (line: string) => void;
}): Promise<CheckoutRateResult> {
  // Its own client: enough sockets for the orders in flight, apart from the shared one.
  const client = new EdgeClient({ maxSockets: 512, timeoutMs: 10_000 });
  try {
    const products = await stockedProducts(40, 10, client);
    if (products.length < (o.minProducts ?? 500))
      throw new Error(`only ${products.length} stocked products; the benchmark needs 500`);
    const want = o.customers ?? Math.max(4, Math.ceil(o.ordersPerSecond * 4));
    const sessions: Session[] = [];
    while (sessions.length < want) {
      const batch = Math.min(10, want - sessions.length);
      sessions.push(
        ...(await Promise.all(
          Array.from({ length: batch }, (_, i) => newShopper(`rate${sessions.length + i}`, client)),
        )),
      );
      o.onProgress?.(`    customers registered: ${sessions.length}/${want}`);
    }
    const free = [...sessions];
    let next = 0;

    /** One phase of the schedule: an order every 1/rate s for `seconds`, every answer awaited. */
    const phase = async (seconds: number, label: string) => {
      const st = {
        orderMs: [] as number[],
        cartMs: [] as number[],
        failures: {} as Record<string, number>,
        placed: 0,
        cartFailed: 0,
        orderFailed: 0,
        notStarted: 0,
        total: Math.round(o.ordersPerSecond * seconds),
      };
      const fail = (k: string) => (st.failures[k] = (st.failures[k] ?? 0) + 1);

      const order = async (s: Session) => {
        try {
          const items = 1 + Math.floor(Math.random() * 3);
          for (let k = 0; k < items; k++) {
            const p = products[next++ % products.length]!;
            const t = performance.now();
            try {
              const r = await s.call('PUT', `/api/cart/items/${p}`, { quantity: 1 });
              if (r.status !== 200) {
                st.cartFailed++;
                fail(`cart ${r.status}`);
              }
            } catch (e) {
              st.cartFailed++;
              fail(`cart ${(e as Error).message}`);
            }
            st.cartMs.push(performance.now() - t);
          }
          const t = performance.now();
          try {
            const r = await s.call('POST', '/api/orders', SHIPPING, {
              'idempotency-key': randomUUID(),
            });
            if (r.status === 201) st.placed++;
            else {
              st.orderFailed++;
              const code = (r.body as { error?: { code?: string } })?.error?.code ?? '';
              fail(`order ${r.status} ${code}`.trim());
            }
          } catch (e) {
            st.orderFailed++;
            fail(`order ${(e as Error).message}`);
          }
          st.orderMs.push(performance.now() - t);
        } finally {
          free.push(s);
        }
      };

      const interval = 1000 / o.ordersPerSecond;
      const start = performance.now();
      const inFlight = new Set<Promise<void>>();
      for (let i = 0; i < st.total; i++) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const s = free.shift();
        if (!s) {
          st.notStarted++;
          continue;
        }
        const p = order(s).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (i > 0 && i % Math.max(1, Math.round(o.ordersPerSecond * 5)) === 0)
          o.onProgress?.(
            `    ${label}[${Math.round((performance.now() - start) / 1000)}s/${seconds}s] ${st.placed} placed, ${st.orderFailed} failed, ${st.notStarted} not started`,
          );
      }
      // Every order the schedule started gets its answer (each request is bounded at 10 s).
      await Promise.all(inFlight);
      return st;
    };

    const warmupSeconds = o.warmupSeconds ?? 5;
    const warm = warmupSeconds > 0 ? await phase(warmupSeconds, 'warm-up ') : null;
    const { orderMs, cartMs, failures, placed, cartFailed, orderFailed, notStarted, total } =
      await phase(o.seconds, '');
    const sent = total - notStarted;
    return {
      targetOrdersPerSecond: o.ordersPerSecond,
      seconds: o.seconds,
      customers: sessions.length,
      productsSpread: products.length,
      orders: {
        sent,
        placed,
        failed: orderFailed,
        notStarted,
        perSecond: Math.round((placed / o.seconds) * 10) / 10,
        p50Ms: Math.round(percentile(orderMs, 50)),
        p99Ms: Math.round(percentile(orderMs, 99)),
      },
      cart: {
        sent: cartMs.length,
        failed: cartFailed,
        p99Ms: Math.round(percentile(cartMs, 99)),
      },
      failures,
      warmup: {
        seconds: warmupSeconds,
        placed: warm?.placed ?? 0,
        failed: (warm?.orderFailed ?? 0) + (warm?.notStarted ?? 0),
        p99Ms: warm ? Math.round(percentile(warm.orderMs, 99)) : 0,
      },
    };
  } finally {
    client.close();
  }
}
