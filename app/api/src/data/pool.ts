import { Pool, types, type PoolClient } from 'pg';
import type { DbConfig } from '../config';
import type { Logger } from '../logger';

export type { Pool, PoolClient };

// bigint (order totals in paisa) as a JS number: exact up to 2^53 paisa, far beyond any order.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

/** TLS options for node-postgres from the validated config (shared with the migrate command). */
export function pgSsl(cfg: DbConfig) {
  if (!cfg.ssl) return undefined;
  if (cfg.ssl.mode === 'require') return { rejectUnauthorized: false };
  // The CA is checked; the host name is not, as managed databases are reached by private IP.
  return { ca: cfg.ssl.ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

export function createPool(cfg: DbConfig, log?: Logger): Pool {
  const pool = new Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    ssl: pgSsl(cfg),
    max: cfg.poolMax,
    // Bounds both a new connection and the wait for a free pooled one. A refused connection
    // (database down) still fails at once; a burst queues for a free client rather than failing.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30000,
    statement_timeout: cfg.statementTimeoutMs,
    application_name: 'dhakacart-api',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => log?.warn({ err: err.message }, 'idle database connection lost'));
  return pool;
}

/** Runs fn in a transaction, rolling back on any error. */
export async function withTransaction<T>(
  pool: Pool,
  fn: (c: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The pool listens for errors only on idle clients: a connection that dies while this one is
  // checked out (a failover) emits 'error', which would otherwise crash the process.
  const onError = (e: Error) => {
    broken = e;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    // A connection that died mid-transaction is thrown away, not handed to the next caller.
    if (isDbUnavailable(e)) broken = e as Error;
    else await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** True for errors that mean "the database is unreachable", as opposed to a bad query. */
export function isDbUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (
    e.code &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(
      e.code,
    )
  )
    return true;
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection errors,
  // 25006 read-only transaction (a connection still on a primary that was just demoted).
  if (
    e.code &&
    (/^08/.test(e.code) || ['57P01', '57P02', '57P03', '53300', '25006'].includes(e.code))
  )
    return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    e.message ?? '',
  );
}

/**
 * Runs `fn` again while the database is unreachable (a failover takes 10-30 s), up to `withinMs`,
 * backing off from 250 ms to 2 s. Any other error, or the deadline, ends it with the last error.
 * For work that must not be abandoned half-way, such as recording a payment that has happened.
 */
export async function retryWhileDbUnavailable<T>(
  fn: () => Promise<T>,
  withinMs: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => number = Date.now,
): Promise<T> {
  const deadline = now() + withinMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 2000)) {
    try {
      return await fn();
    } catch (e) {
      if (!isDbUnavailable(e) || now() + wait > deadline) throw e;
      await sleep(wait);
    }
  }
}
