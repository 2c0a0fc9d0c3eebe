import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { CA_CERT, STORE_URL } from './paths';

const store = new URL(STORE_URL);
if (!['localhost', '127.0.0.1'].includes(store.hostname))
  throw new Error(`refusing to send traffic to a non-local store: ${STORE_URL}`);

let agent: Agent | undefined;

/** One request through the lab's TLS edge, trusting only the lab CA; resolves to the status. */
export function storeRequest(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  jar?: Map<string, string>,
) {
  agent ??= new Agent({ ca: readFileSync(CA_CERT), keepAlive: true, maxSockets: 4 });
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const cookie = jar && [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: store.hostname,
        port: store.port || 443,
        path,
        method,
        agent,
        timeout: 10_000,
        headers: {
          accept: 'application/json',
          origin: STORE_URL,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
          ...(method === 'POST' && path === '/api/orders'
            ? { 'idempotency-key': randomUUID() }
            : {}),
        },
      },
      (res) => {
        for (const c of res.headers['set-cookie'] ?? []) {
          const pair = c.split(';')[0]!;
          const eq = pair.indexOf('=');
          if (jar && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const SHIPPING = {
  shippingAddress: {
    name: 'Lab Monitoring',
    phone: '01712345678',
    line1: 'House 1, Road 2',
    city: 'Dhaka',
    postalCode: '1205',
  },
  paymentMethod: 'cod',
};

/**
 * A little of every journey the SLOs measure, so that each SLO's counters exist: anonymous
 * browsing, then one new shopper who fills a cart and checks out (cash on delivery). Returns
 * what each request answered, for the test's failure message.
 */
export async function touchEveryJourney(browseRounds: number): Promise<string[]> {
  const seen: string[] = [];
  const call = async (
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    jar?: Map<string, string>,
  ) => {
    const r = await storeRequest(method, path, body, jar);
    seen.push(`${method} ${path} ${r.status}`);
    return r;
  };
  try {
    let productId: number | undefined;
    for (let i = 0; i < browseRounds; i++) {
      const list = await call('GET', '/api/products');
      const items = (JSON.parse(list.text) as { items?: { id: number; stock: number }[] }).items;
      productId = items?.find((p) => p.stock > 0)?.id;
      if (productId !== undefined) await call('GET', `/api/products/${productId}`);
    }
    const jar = new Map<string, string>();
    const email = `lab-monitoring-${randomUUID().slice(0, 12)}@example.com`;
    await call(
      'POST',
      '/api/auth/register',
      { email, password: `pw-${randomUUID()}`, name: 'Lab Monitoring' },
      jar,
    );
    if (productId !== undefined)
      await call('PUT', `/api/cart/items/${productId}`, { quantity: 1 }, jar);
    await call('GET', '/api/cart', undefined, jar);
    await call('POST', '/api/orders', SHIPPING, jar);
  } finally {
    agent?.destroy();
    agent = undefined;
  }
  return seen;
}
