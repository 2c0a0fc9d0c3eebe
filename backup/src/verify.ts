import { createHash } from 'node:crypto';
import type { Ack } from './orders';
import { psqlExec } from './psql';

/**
 * Per order, an md5 over its immutable columns: id, customer, items, total and creation time
 * (status and updated_at change over an order's life and are left out).
 */
export function checksumSql(ids: string[]): string {
  const list = ids.map((id) => `'${id}'`).join(',') || 'NULL';
  return `SET TimeZone = 'UTC';
SELECT o.id || ' ' || md5(concat_ws('|', o.id, o.user_id, o.total_paisa,
  to_char(o.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US'),
  (SELECT string_agg(concat_ws(':', i.product_id, i.name, i.quantity, i.price_paisa), ',' ORDER BY i.product_id)
     FROM order_items i WHERE i.order_id = o.id)))
FROM orders o WHERE o.id IN (${list})`;
}

export async function orderChecksums(
  container: string,
  ids: string[],
  readOnly = false,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const sql =
      (readOnly ? 'SET default_transaction_read_only = on;\n' : '') +
      checksumSql(ids.slice(i, i + 5000));
    for (const row of await psqlExec(container, sql)) {
      const [id, sum] = row.split(' ');
      if (id && sum) out.set(id, sum);
    }
  }
  return out;
}

/** The newest order creation time in a database (its recovery point), or null when empty. */
export async function newestOrderAt(container: string): Promise<Date | null> {
  const [v] = await psqlExec(
    container,
    "SELECT coalesce(to_char(max(created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '') FROM orders",
  );
  return v ? new Date(v) : null;
}

export interface Verification {
  /** Orders acknowledged at or before the recovery point: each must be present and identical. */
  ordersVerified: number;
  mismatches: number;
  missing: string[];
  differing: string[];
  /** Orders acknowledged after the recovery point but before T: the gap (lost within the RPO). */
  gapOrders: number;
  /** md5 over the sorted per-order checksums of the verified orders (same on both sides). */
  checksum: string;
}

/**
 * Compares the restored database with the clients' history and with the live database's own
 * rows (read in a read-only transaction). An order acknowledged at or before the recovery point
 * committed before the newest order present started, so the restore must hold it: a missing one
 * is a hole, not the RPO.
 */
export async function verifyRestore(opts: {
  acks: Ack[];
  until: Date;
  recoveryPoint: Date | null;
  restored: string;
  live: string;
}): Promise<Verification> {
  const rp = opts.recoveryPoint?.getTime() ?? -Infinity;
  const beforeT = opts.acks.filter((a) => Date.parse(a.at) <= opts.until.getTime());
  const mustHave = beforeT.filter((a) => Date.parse(a.at) <= rp);
  const ids = mustHave.map((a) => a.orderId);
  const [restored, live] = await Promise.all([
    orderChecksums(opts.restored, ids),
    orderChecksums(opts.live, ids, true),
  ]);
  const missing = ids.filter((id) => !restored.has(id));
  const differing = ids.filter((id) => restored.has(id) && restored.get(id) !== live.get(id));
  const sums = ids
    .map((id) => restored.get(id) ?? '')
    .sort()
    .join('\n');
  return {
    ordersVerified: ids.length,
    mismatches: missing.length + differing.length,
    missing: missing.slice(0, 20),
    differing: differing.slice(0, 20),
    gapOrders: beforeT.length - mustHave.length,
    checksum: createHash('md5').update(sums).digest('hex'),
  };
}
