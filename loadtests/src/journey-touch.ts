import { randomUUID } from 'node:crypto';
import { EdgeClient } from '@dhakacart/lab-client';
import { SHIPPING } from './shoppers';

/**
 * A little of every journey the SLOs measure, so that each SLO's counters exist: anonymous
 * browsing, then one new shopper who fills a cart and checks out (cash on delivery). Returns
 * what each request answered, for the caller's failure message.
 */
export async function touchEveryJourney(browseRounds: number): Promise<string[]> {
  const client = new EdgeClient({ maxSockets: 4 });
  const seen: string[] = [];
  const shopper = client.session('lab-monitoring');
  const call = async (method: string, path: string, body?: unknown, headers = {}) => {
    const r = await shopper.call(method, path, body, headers);
    seen.push(`${method} ${path} ${r.status}`);
    return r;
  };
  try {
    let productId: number | undefined;
    for (let i = 0; i < browseRounds; i++) {
      const list = await call('GET', '/api/products');
      const items = (list.body as { items?: { id: number; stock: number }[] }).items;
      productId = items?.find((p) => p.stock > 0)?.id;
      if (productId !== undefined) await call('GET', `/api/products/${productId}`);
    }
    const email = `lab-monitoring-${randomUUID().slice(0, 12)}@example.com`;
    await call('POST', '/api/auth/register', {
      email,
      password: `pw-${randomUUID()}`,
      name: 'Lab Monitoring',
    });
    if (productId !== undefined) await call('PUT', `/api/cart/items/${productId}`, { quantity: 1 });
    await call('GET', '/api/cart');
    await call('POST', '/api/orders', SHIPPING, { 'idempotency-key': randomUUID() });
  } finally {
    client.close();
  }
  return seen;
}
