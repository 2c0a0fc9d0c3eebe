import { randomUUID } from 'node:crypto';
import { edge, type EdgeClient, type Session } from '@dhakacart/lab-client';

/** Shoppers of the lab store, made through its TLS edge like any customer. */

/** Registers a new customer; the returned session holds its cookie. */
export async function newShopper(tag: string, client: EdgeClient = edge()): Promise<Session> {
  const email = `lab-${tag}-${randomUUID().slice(0, 12)}@example.com`;
  const s = client.session(email);
  const r = await s.call('POST', '/api/auth/register', {
    email,
    password: `pw-${randomUUID()}`,
    name: `Lab ${tag}`,
  });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text.slice(0, 300)}`);
  return s;
}

/**
 * Products with at least `min` in stock, from the first `pages` catalogue pages (100 each):
 * spreading a load over many products keeps repeated runs from emptying any one of them.
 */
export async function stockedProducts(
  min: number,
  pages = 1,
  client: EdgeClient = edge(),
): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; page <= pages; page++) {
    const r = await client.request('GET', `/api/products?pageSize=100&page=${page}`);
    const items = (r.body as { items?: { id: number; stock: number }[] }).items ?? [];
    ids.push(...items.filter((p) => p.stock >= min).map((p) => p.id));
  }
  return ids;
}

/** A checkout's body: a Dhaka address and cash on delivery (nothing is charged). */
export const SHIPPING = {
  shippingAddress: {
    name: 'Lab Shopper',
    phone: '01712345678',
    line1: 'House 1, Road 2',
    city: 'Dhaka',
    postalCode: '1205',
  },
  paymentMethod: 'cod',
};
