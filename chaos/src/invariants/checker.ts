import type { HistoryLine } from '@dhakacart/loadtests';
import type { SqlSource } from './source';

/**
 * The data's invariants after a fault, from the database (read-only) and the clients' own
 * history of what the store acknowledged. Any non-zero count fails the experiment.
 */
export interface InvariantsReport {
  /** Acknowledged orders that do not exist. */
  lost: number;
  /** Products with stock below zero, or more units sold than ever received. */
  oversold: number;
  /** More than one order for one (customer, idempotency key), in the database or the history. */
  duplicates: number;
  /** Products whose received units ≠ on hand + reserved (pending) + sold. */
  conservation: number;
  /** Orders still pending this long after the system recovered. */
  stranded: number;
  /** Keys whose retries were never answered within the recovery budget. */
  unresolved: number;
  passed: boolean;
  /** The first few offenders of each kind, for the report. */
  details: Record<string, unknown[]>;
  checked: { ackedOrders: number; products: number; source: string };
}

export interface CheckOptions {
  /** Only orders created at or after this moment count as stranded (default: all). */
  since?: Date;
  /** A pending order younger than this is still being worked on (default 30 s). */
  strandedAfterSeconds?: number;
}

/** Refused: not the lab's database, or a role that could change it. */
export class RefusedSource extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DETAIL_LIMIT = 10;

/** The checks refuse anything but a lab database read by a role that cannot write. */
export async function assertSafeSource(src: SqlSource, mark: string): Promise<void> {
  const who = await src.json<{
    mark: string | null;
    user: string;
    superuser: boolean;
    canWrite: boolean;
  }>(`SELECT json_build_object(
    'mark', (SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()),
    'user', current_user,
    'superuser', (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
    'canWrite', (SELECT bool_or(has_table_privilege(t, p))
                   FROM unnest(ARRAY['orders', 'order_items', 'products', 'users']) t,
                        unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p))`);
  if (who.mark !== mark)
    throw new RefusedSource(
      `refusing ${src.describe()}: not a lab database (its comment is ${JSON.stringify(who.mark)}, expected "${mark}")`,
    );
  if (who.superuser || who.canWrite)
    throw new RefusedSource(
      `refusing to check as ${who.user}: the role can write; use the read-only reader role`,
    );
}

export async function checkInvariants(
  src: SqlSource,
  history: HistoryLine[],
  o: CheckOptions = {},
): Promise<InvariantsReport> {
  const acked = history.filter(
    (h): h is Extract<HistoryLine, { orderId: string }> =>
      'orderId' in h && typeof h.orderId === 'string',
  );
  const bad = acked.find((h) => !UUID.test(h.orderId));
  if (bad) throw new Error(`the history holds an order id that is not a UUID: ${bad.orderId}`);
  const ids = [...new Set(acked.map((h) => h.orderId.toLowerCase()))];
  const idArray = ids.length
    ? `ARRAY[${ids.map((i) => `'${i}'`).join(',')}]::uuid[]`
    : `'{}'::uuid[]`;
  const since = o.since ? `'${o.since.toISOString()}'::timestamptz` : `'-infinity'::timestamptz`;
  const grace = Math.max(0, Math.floor(o.strandedAfterSeconds ?? 30));

  const db = await src.json<{
    lost: string[];
    oversold: unknown[];
    conservation: unknown[];
    duplicates: unknown[];
    stranded: unknown[];
    products: number;
  }>(`WITH m AS (
      SELECT p.id, p.stock, p.stock_received AS received,
             coalesce(sum(oi.quantity) FILTER (WHERE o.status IN ('paid', 'confirmed')), 0) AS sold,
             coalesce(sum(oi.quantity) FILTER (WHERE o.status = 'pending'), 0) AS reserved
        FROM products p
        LEFT JOIN order_items oi ON oi.product_id = p.id
        LEFT JOIN orders o ON o.id = oi.order_id
       GROUP BY p.id)
    SELECT json_build_object(
      'lost', (SELECT coalesce(json_agg(x), '[]') FROM unnest(${idArray}) x
                WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = x)),
      'oversold', (SELECT coalesce(json_agg(json_build_object('productId', id, 'stock', stock,
                          'sold', sold, 'received', received)), '[]')
                     FROM m WHERE stock < 0 OR sold > received),
      'conservation', (SELECT coalesce(json_agg(json_build_object('productId', id,
                              'received', received, 'onHand', stock, 'reserved', reserved,
                              'sold', sold)), '[]')
                         FROM m WHERE received IS DISTINCT FROM stock + reserved + sold),
      'duplicates', (SELECT coalesce(json_agg(json_build_object('userId', user_id,
                            'key', idempotency_key, 'orders', n)), '[]')
                       FROM (SELECT user_id, idempotency_key, count(*) AS n FROM orders
                              GROUP BY 1, 2 HAVING count(*) > 1) d),
      'stranded', (SELECT coalesce(json_agg(json_build_object('orderId', id,
                          'createdAt', created_at)), '[]')
                     FROM orders WHERE status = 'pending' AND created_at >= ${since}
                      AND created_at < now() - make_interval(secs => ${grace})),
      'products', (SELECT count(*) FROM m))`);

  // The clients' view: one key must never have been acknowledged as two different orders.
  const byKey = new Map<string, Set<string>>();
  for (const h of acked) byKey.set(h.key, (byKey.get(h.key) ?? new Set()).add(h.orderId));
  const historyDuplicates = [...byKey]
    .filter(([, s]) => s.size > 1)
    .map(([key, s]) => ({ key, orders: [...s] }));
  const unresolved = history.filter((h) => 'unresolved' in h && h.unresolved);

  const details: Record<string, unknown[]> = {
    lost: db.lost,
    oversold: db.oversold,
    duplicates: [...db.duplicates, ...historyDuplicates],
    conservation: db.conservation,
    stranded: db.stranded,
    unresolved,
  };
  const counts = {
    lost: db.lost.length,
    oversold: db.oversold.length,
    duplicates: db.duplicates.length + historyDuplicates.length,
    conservation: db.conservation.length,
    stranded: db.stranded.length,
    unresolved: unresolved.length,
  };
  return {
    ...counts,
    passed: Object.values(counts).every((n) => n === 0),
    details: Object.fromEntries(
      Object.entries(details).map(([k, v]) => [k, v.slice(0, DETAIL_LIMIT)]),
    ),
    checked: { ackedOrders: ids.length, products: db.products, source: src.describe() },
  };
}

/** One line a person reads: each count, and PASS or FAIL. */
export function formatInvariants(r: InvariantsReport): string {
  const counts = (
    ['lost', 'oversold', 'duplicates', 'conservation', 'stranded', 'unresolved'] as const
  )
    .map((k) => `${k} ${r[k]}`)
    .join(', ');
  return `invariants ${r.passed ? 'PASS' : 'FAIL'}: ${counts} (${r.checked.ackedOrders} acknowledged orders, ${r.checked.products} products, ${r.checked.source})`;
}
