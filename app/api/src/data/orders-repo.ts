import type { Pool, PoolClient } from 'pg';
import type { Order, OrderItem, OrderStatus, PaymentMethod, ShippingAddress } from './types';

interface OrderRow {
  id: string;
  userId: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  totalPaisa: number;
  shippingAddress: ShippingAddress;
  failureReason: string | null;
  createdAt: Date;
  requestHash: string;
  leaseOwner: string | null;
}

const ORDER_COLUMNS = `o.id, o.user_id AS "userId", o.status, o.payment_method AS "paymentMethod",
  o.total_paisa AS "totalPaisa", o.shipping_address AS "shippingAddress",
  o.failure_reason AS "failureReason", o.created_at AS "createdAt", o.request_hash AS "requestHash",
  o.lease_owner AS "leaseOwner"`;

export interface ListOrdersQuery {
  userId?: string;
  status?: OrderStatus;
  page: number;
  pageSize: number;
}

export function ordersRepo(pool: Pool) {
  async function withItems(
    rows: OrderRow[],
    db: Pool | PoolClient,
  ): Promise<(Order & { requestHash: string; leaseOwner: string | null })[]> {
    if (rows.length === 0) return [];
    const { rows: items } = await db.query<OrderItem & { orderId: string }>(
      `SELECT order_id AS "orderId", product_id AS "productId", name, quantity, price_paisa AS "pricePaisa"
         FROM order_items WHERE order_id = ANY($1) ORDER BY product_id`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      items: items.filter((i) => i.orderId === r.id).map(({ orderId: _o, ...i }) => i),
    }));
  }

  return {
    /** Serialises concurrent attempts with the same idempotency key for the rest of the transaction. */
    async lockIdempotencyKey(db: PoolClient, userId: string, key: string): Promise<void> {
      await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${userId}:${key}`]);
    },

    async findByKey(userId: string, key: string, db: Pool | PoolClient = pool) {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.user_id = $1 AND o.idempotency_key = $2`,
        [userId, key],
      );
      return (await withItems(rows, db))[0] ?? null;
    },

    async findById(id: string, db: Pool | PoolClient = pool) {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`,
        [id],
      );
      return (await withItems(rows, db))[0] ?? null;
    },

    /** Locks the products (in id order, so concurrent checkouts cannot deadlock). */
    async lockProducts(db: PoolClient, ids: number[]) {
      const { rows } = await db.query<{
        id: number;
        name: string;
        stock: number;
        pricePaisa: number;
      }>(
        `SELECT id, name, stock, price_paisa AS "pricePaisa" FROM products
          WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
        [ids],
      );
      return rows;
    },

    async adjustStock(
      db: PoolClient,
      items: { productId: number; delta: number }[],
    ): Promise<void> {
      // One statement for every line: one round trip through the router, whatever the cart's size.
      // (An UPDATE ... FROM applies one joined row per product, so repeated ids are summed first.)
      const deltas = new Map<number, number>();
      for (const i of items) deltas.set(i.productId, (deltas.get(i.productId) ?? 0) + i.delta);
      if (deltas.size === 0) return;
      await db.query(
        `UPDATE products p SET stock = p.stock + d.delta, updated_at = now()
           FROM unnest($1::int[], $2::int[]) AS d(id, delta) WHERE p.id = d.id`,
        [[...deltas.keys()], [...deltas.values()]],
      );
    },

    async insert(
      db: PoolClient,
      o: {
        userId: string;
        key: string;
        requestHash: string;
        paymentMethod: PaymentMethod;
        totalPaisa: number;
        shippingAddress: ShippingAddress;
        items: OrderItem[];
        /** The live request that owns the pending order, and for how long. */
        lease: { owner: string; ms: number };
      },
    ): Promise<string> {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method, total_paisa,
                             shipping_address, lease_owner, lease_expires_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, now() + make_interval(secs => $8::float8 / 1000))
         RETURNING id`,
        [
          o.userId,
          o.key,
          o.requestHash,
          o.paymentMethod,
          o.totalPaisa,
          o.shippingAddress,
          o.lease.owner,
          o.lease.ms,
        ],
      );
      const id = rows[0]!.id;
      await db.query(
        `INSERT INTO order_items (order_id, product_id, name, quantity, price_paisa)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::int[])`,
        [
          id,
          o.items.map((i) => i.productId),
          o.items.map((i) => i.name),
          o.items.map((i) => i.quantity),
          o.items.map((i) => i.pricePaisa),
        ],
      );
      return id;
    },

    /**
     * Takes over a pending order whose lease has expired (its request died or gave up); false
     * while a live request still holds it, or once it is no longer pending.
     */
    async takeLease(db: Pool | PoolClient, id: string, owner: string, ms: number) {
      const { rowCount } = await db.query(
        `UPDATE orders SET lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3::float8 / 1000)
          WHERE id = $1 AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at < now())`,
        [id, owner, ms],
      );
      return rowCount === 1;
    },

    /** Moves a pending order to its final state; false when it was no longer pending. */
    async finish(
      db: Pool | PoolClient,
      id: string,
      status: Exclude<OrderStatus, 'pending'>,
      detail: { reference?: string; reason?: string },
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE orders SET status = $2, payment_reference = $3, failure_reason = $4, updated_at = now()
          WHERE id = $1 AND status = 'pending'`,
        [id, status, detail.reference ?? null, detail.reason ?? null],
      );
      return rowCount === 1;
    },

    /**
     * Pending orders older than the given age whose lease has expired, locked for the caller
     * (skipping ones being handled).
     */
    async lockStalePending(
      db: PoolClient,
      olderThanSeconds: number,
      limit: number,
    ): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM orders WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1)
            AND (lease_expires_at IS NULL OR lease_expires_at < now())
          ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [olderThanSeconds, limit],
      );
      return rows.map((r) => r.id);
    },

    async list(q: ListOrdersQuery) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.userId) {
        params.push(q.userId);
        where.push(`o.user_id = $${params.length}`);
      }
      if (q.status) {
        params.push(q.status);
        where.push(`o.status = $${params.length}`);
      }
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      params.push(q.pageSize, (q.page - 1) * q.pageSize);
      const { rows } = await pool.query<OrderRow & { total: number }>(
        `SELECT ${ORDER_COLUMNS}, count(*) OVER ()::int AS total FROM orders o ${whereSql}
          ORDER BY o.created_at DESC, o.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      const total = rows[0]?.total ?? 0;
      const orders = await withItems(
        rows.map(({ total: _t, ...r }) => r),
        pool,
      );
      return { items: orders, page: q.page, pageSize: q.pageSize, total };
    },
  };
}

export type OrdersRepo = ReturnType<typeof ordersRepo>;
