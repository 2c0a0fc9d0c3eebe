import { randomUUID } from 'node:crypto';
import {
  containerOf,
  PATRONI_MEMBERS,
  patroniCluster,
  REDIS_MASTER_NAME,
  SENTINELS,
} from './data-tier';
import { Shopper } from './edge-client';
import { run } from './sh';

/**
 * Helpers for the data-tier failover tests: reading the database and Sentinel from inside their
 * containers (nothing of the data tier is published), and making shoppers through the edge.
 */

/** Runs SQL (sent on stdin) as the postgres superuser on a running member; returns rows. */
export async function psql(sql: string, member?: string): Promise<string[]> {
  const names = member ? [member] : [...PATRONI_MEMBERS];
  let lastErr = 'no running Patroni member';
  for (const m of names) {
    const c = await containerOf(m);
    if (!c) continue;
    const r = await run(
      'docker',
      ['exec', '-i', c, 'psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', 'dhakacart'],
      { input: sql },
    );
    if (r.code === 0) return r.stdout.split('\n').filter(Boolean);
    lastErr = r.stderr.trim();
  }
  throw new Error(`psql failed: ${lastErr}`);
}

/** redis-cli inside a data-tier container, authenticated from its mounted secret file. */
export async function redisCli(service: string, port: number, args: string[]) {
  const c = await containerOf(service);
  if (!c) return null;
  const r = await run('docker', [
    'exec',
    c,
    'bash',
    '-c',
    // The password goes through REDISCLI_AUTH, never argv.
    'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" exec timeout 3 redis-cli --no-auth-warning -p "$0" "$@"',
    String(port),
    ...args,
  ]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** The primary's name according to the first Sentinel that answers. */
export async function sentinelPrimary(): Promise<string | null> {
  for (const s of SENTINELS) {
    const out = await redisCli(s, 26379, [
      'SENTINEL',
      'get-master-addr-by-name',
      REDIS_MASTER_NAME,
    ]);
    const host = out?.split('\n')[0];
    if (host) return host;
  }
  return null;
}

export async function currentLeader(): Promise<string | undefined> {
  return (await patroniCluster())?.find((m) => m.role === 'leader')?.name;
}

/** Registers a new customer through the edge; the returned shopper holds its session. */
export async function newShopper(tag: string): Promise<Shopper> {
  const email = `lab-${tag}-${randomUUID().slice(0, 12)}@example.com`;
  const s = new Shopper(email);
  const r = await s.call('POST', '/api/auth/register', {
    email,
    password: `pw-${randomUUID()}`,
    name: `Lab ${tag}`,
  });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
  return s;
}

/**
 * Products with at least `min` in stock, from the first `pages` catalogue pages (100 each):
 * spreading a load over many products keeps repeated runs from emptying any one of them.
 */
export async function stockedProducts(min: number, pages = 1): Promise<number[]> {
  const s = new Shopper('anonymous');
  const ids: number[] = [];
  for (let page = 1; page <= pages; page++) {
    const r = await s.call('GET', `/api/products?pageSize=100&page=${page}`);
    const items = (r.body as { items?: { id: number; stock: number }[] }).items ?? [];
    ids.push(...items.filter((p) => p.stock >= min).map((p) => p.id));
  }
  return ids;
}

export const SHIPPING = {
  shippingAddress: {
    name: 'Lab Failover',
    phone: '01712345678',
    line1: 'House 1, Road 2',
    city: 'Dhaka',
    postalCode: '1205',
  },
  paymentMethod: 'cod',
};
