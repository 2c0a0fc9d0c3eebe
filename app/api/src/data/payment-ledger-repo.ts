import type { Pool } from 'pg';

/**
 * The simulated payment provider's ledger (migration 1764547200000): what a real provider keeps
 * on its side to answer a repeated charge of the same merchant order with the first result.
 */
export interface LedgerCharge {
  ok: boolean;
  reference: string | null;
  reason: string | null;
  calls: number;
}

export function paymentLedgerRepo(pool: Pool) {
  return {
    /**
     * Records a charge unless this order was charged before; either way returns the order's one
     * charge (the first), with how many times it has been asked for.
     */
    async chargeOnce(c: {
      orderId: string;
      method: string;
      amountPaisa: number;
      ok: boolean;
      reference: string | null;
      reason: string | null;
    }): Promise<LedgerCharge> {
      const { rows } = await pool.query<LedgerCharge>(
        `INSERT INTO simulated_payment_charges (order_id, method, amount_paisa, ok, reference, reason)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (order_id) DO UPDATE SET calls = simulated_payment_charges.calls + 1
         RETURNING ok, reference, reason, calls`,
        [c.orderId, c.method, c.amountPaisa, c.ok, c.reference, c.reason],
      );
      return rows[0]!;
    },

    async find(orderId: string): Promise<LedgerCharge | null> {
      const { rows } = await pool.query<LedgerCharge>(
        'SELECT ok, reference, reason, calls FROM simulated_payment_charges WHERE order_id = $1',
        [orderId],
      );
      return rows[0] ?? null;
    },
  };
}

export type PaymentLedger = ReturnType<typeof paymentLedgerRepo>;
