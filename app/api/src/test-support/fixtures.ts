import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { hashPassword } from '../domain/passwords';
import { Client } from './client';
import { ORIGIN, uniqueEmail } from './stack';

export const PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | null = null;

/** A logged-in client for a new user of the given role (created directly in the database). */
export async function userClient(
  baseUrl: string,
  db: Pool,
  role: 'customer' | 'staff' | 'admin' = 'customer',
) {
  const email = uniqueEmail(role);
  cachedHash ??= hashPassword(PASSWORD);
  await db.query(`INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)`, [
    email,
    `Test ${role}`,
    await cachedHash,
    role,
  ]);
  const c = new Client(baseUrl, ORIGIN);
  const r = await c.post(
    '/api/auth/login',
    { email, password: PASSWORD },
    {
      // A distinct client address per user keeps the per-IP login limit out of the way.
      headers: {
        'x-forwarded-for': `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.1`,
      },
    },
  );
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return { client: c, email, user: r.body.user as { id: string } };
}

/** A product of the test's own, so stock assertions never collide with another test. */
export async function newProduct(db: Pool, stock: number, pricePaisa = 12_345): Promise<number> {
  const sku = `T-${randomUUID().slice(0, 8).toUpperCase()}`;
  const { rows } = await db.query(
    `INSERT INTO products (sku, name, category_id, price_paisa, stock)
     VALUES ($1, $2, (SELECT id FROM categories ORDER BY id LIMIT 1), $3, $4) RETURNING id`,
    [sku, `Test product ${sku}`, pricePaisa, stock],
  );
  return rows[0].id;
}

export const address = {
  name: 'Karim Uddin',
  phone: '01712345678',
  line1: 'House 12, Road 5, Dhanmondi',
  city: 'Dhaka',
  postalCode: '1205',
};

export const checkoutBody = (paymentMethod = 'bkash') => ({
  shippingAddress: address,
  paymentMethod,
});
export const newKey = () => `key-${randomUUID()}`;

/**
 * Many customers at once, made directly in the database (user, session, one-line cart), so a
 * concurrency test spends its time on checkouts rather than on password hashing.
 */
export async function customersWithCart(
  baseUrl: string,
  db: Pool,
  sessionKey: Buffer,
  n: number,
  productId: number,
  quantity = 1,
): Promise<Client[]> {
  const { createHmac, randomBytes } = await import('node:crypto');
  const clients: Client[] = [];
  const tag = randomUUID().slice(0, 8);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash)
     SELECT 'bulk-' || $1 || '-' || g || '@example.test', 'Bulk ' || g, 'not-a-login-hash'
       FROM generate_series(1, $2) g RETURNING id`,
    [tag, n],
  );
  for (const { id } of rows) {
    const token = randomBytes(32).toString('base64url');
    const hash = createHmac('sha256', sessionKey).update(token).digest();
    await db.query(
      `INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
      [hash, id],
    );
    await db.query('INSERT INTO cart_items (owner, product_id, quantity) VALUES ($1, $2, $3)', [
      `u:${id}`,
      productId,
      quantity,
    ]);
    const c = new Client(baseUrl, ORIGIN);
    c.cookie = `sid=${token}`;
    clients.push(c);
  }
  return clients;
}
