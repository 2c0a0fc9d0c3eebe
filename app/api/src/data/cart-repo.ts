import type { Pool, PoolClient } from 'pg';
import type { CartLine } from './types';

/** Cart owner keys: a user's cart, or a guest session's cart before login. */
export const userOwner = (userId: string) => `u:${userId}`;
export const guestOwner = (sessionHash: Buffer) => `s:${sessionHash.toString('hex')}`;

export function cartRepo(pool: Pool) {
  return {
    async lines(owner: string, db: Pool | PoolClient = pool): Promise<CartLine[]> {
      const { rows } = await db.query<CartLine>(
        `SELECT ci.product_id AS "productId", ci.quantity, p.price_paisa AS "pricePaisa", p.name, p.stock
           FROM cart_items ci JOIN products p ON p.id = ci.product_id
          WHERE ci.owner = $1 ORDER BY ci.product_id`,
        [owner],
      );
      return rows;
    },

    /** Sets a line's quantity (0 removes it); false when the product does not exist. */
    async setQuantity(owner: string, productId: number, quantity: number): Promise<boolean> {
      if (quantity === 0) {
        await pool.query('DELETE FROM cart_items WHERE owner = $1 AND product_id = $2', [
          owner,
          productId,
        ]);
        return true;
      }
      const { rowCount } = await pool.query(
        `INSERT INTO cart_items (owner, product_id, quantity)
         SELECT $1, id, $3 FROM products WHERE id = $2
         ON CONFLICT (owner, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
        [owner, productId, quantity],
      );
      return rowCount === 1;
    },

    /** Moves a guest cart into a user's cart at login, adding quantities (capped at 99). */
    async merge(from: string, to: string, db: Pool | PoolClient = pool): Promise<void> {
      await db.query(
        `INSERT INTO cart_items (owner, product_id, quantity)
         SELECT $2, product_id, quantity FROM cart_items WHERE owner = $1
         ON CONFLICT (owner, product_id)
           DO UPDATE SET quantity = LEAST(99, cart_items.quantity + EXCLUDED.quantity), updated_at = now()`,
        [from, to],
      );
      await db.query('DELETE FROM cart_items WHERE owner = $1', [from]);
    },

    async clear(owner: string, db: Pool | PoolClient = pool): Promise<void> {
      await db.query('DELETE FROM cart_items WHERE owner = $1', [owner]);
    },
  };
}

export type CartRepo = ReturnType<typeof cartRepo>;
