import type { Pool } from 'pg';

/**
 * Facts about the stored data that no sequence of API calls may break, as queries that return the
 * rows breaking them. The fuzz run checks them afterwards: a request that failed half-way must
 * not have left a half-written order behind. (Column CHECKs, e.g. stock >= 0, guard the rest.)
 */
const INVARIANTS: Record<string, string> = {
  'every order has at least one item': `SELECT o.id FROM orders o
     WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id) LIMIT 5`,
  "an order's total is the sum of its items": `SELECT o.id FROM orders o
     JOIN order_items i ON i.order_id = o.id
     GROUP BY o.id, o.total_paisa
     HAVING o.total_paisa <> sum(i.quantity::bigint * i.price_paisa) LIMIT 5`,
  'a paid or confirmed order has a payment reference': `SELECT id FROM orders
     WHERE status IN ('paid', 'confirmed') AND payment_reference IS NULL LIMIT 5`,
};

/** The invariants that do not hold, each with up to five offending keys. */
export async function brokenInvariants(
  db: Pool,
): Promise<{ invariant: string; examples: string[] }[]> {
  const out: { invariant: string; examples: string[] }[] = [];
  for (const [invariant, sql] of Object.entries(INVARIANTS)) {
    const { rows } = await db.query<Record<string, unknown>>(sql);
    if (rows.length)
      out.push({ invariant, examples: rows.map((r) => String(Object.values(r)[0])) });
  }
  return out;
}
