/**
 * Email -> user id, for `logs customer <email>`. Logs carry only the user id (the api never logs
 * an email), so the email is looked up in the shop's database: as a bound SQL parameter, never
 * in a URL, a log query or a log line of ours.
 */
import { readFileSync } from 'node:fs';
import { psql } from '@dhakacart/lab-client';
import { wholeNumberText } from '@dhakacart/numeric-text';
import { Pool } from 'pg';
import { z } from 'zod';

export interface CustomerDirectory {
  /** The user's id, or null when no account has this email. */
  userIdForEmail(email: string): Promise<string | null>;
  close(): Promise<void>;
}

/** The database did not answer or refused us (distinct from "no such customer"). */
export class DirectoryDownError extends Error {
  readonly code = 'directory_unavailable';
}

export interface PgDirectoryConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** Per connection attempt and per query. */
  timeoutMs: number;
}

export function pgCustomerDirectory(cfg: PgDirectoryConfig): CustomerDirectory {
  const pool = new Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    max: 1,
    connectionTimeoutMillis: cfg.timeoutMs,
    query_timeout: cfg.timeoutMs,
    statement_timeout: cfg.timeoutMs,
  });
  // An idle client's error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return {
    async userIdForEmail(email) {
      try {
        const r = await pool.query<{ id: string }>(
          'SELECT id::text AS id FROM users WHERE email = $1',
          [email.toLowerCase()],
        );
        return r.rows[0]?.id ?? null;
      } catch (e) {
        // pg's messages name the server, never the parameters.
        throw new DirectoryDownError(
          `the shop's database did not answer the customer lookup (${(e as Error).message})`,
        );
      }
    },
    close: () => pool.end().catch(() => undefined),
  };
}

/**
 * The database the CLI reads, from the environment (standard libpq names; the password only from
 * a file): PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD_FILE. Null when PGHOST is not set.
 */
const Env = z.object({
  PGHOST: z.string().min(1),
  PGPORT: wholeNumberText(1, 65535).default(5432),
  PGDATABASE: z.string().min(1).default('dhakacart'),
  PGUSER: z.string().min(1).default('dhakacart'),
  PGPASSWORD_FILE: z.string().min(1),
});

export function directoryFromEnv(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): CustomerDirectory | null {
  if (!env.PGHOST) return null;
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new DirectoryDownError(
      `the database settings are incomplete: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  let password: string;
  try {
    password = readFileSync(parsed.data.PGPASSWORD_FILE, 'utf8').trim();
  } catch (e) {
    throw new DirectoryDownError(
      `cannot read PGPASSWORD_FILE (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  return pgCustomerDirectory({
    host: parsed.data.PGHOST,
    port: parsed.data.PGPORT,
    database: parsed.data.PGDATABASE,
    user: parsed.data.PGUSER,
    password,
    timeoutMs,
  });
}

/**
 * The lab's database, which publishes no port: the lookup runs in a Patroni member's own psql
 * (`docker exec`), read-only. The email travels on psql's stdin as a psql variable and reaches
 * the query quoted by psql (`:'email'`): never in a command line, a URL or a log line.
 */
export function labCustomerDirectory(): CustomerDirectory {
  return {
    async userIdForEmail(email) {
      if (/[\r\n\\]/.test(email)) return null; // no account has such an address
      const quoted = `'${email.toLowerCase().replace(/'/g, "''")}'`;
      let rows: string[];
      try {
        rows = await psql(
          [
            'SET default_transaction_read_only = on;',
            `\\set email ${quoted}`,
            "SELECT id::text FROM users WHERE email = :'email';",
          ].join('\n'),
        );
      } catch (e) {
        throw new DirectoryDownError(
          `the lab's database did not answer the customer lookup (${(e as Error).message.split('\n')[0]}); start the lab, set PGHOST and PGPASSWORD_FILE for another database, or pass the user id`,
        );
      }
      const id = rows.find((r) => /^[0-9a-f-]{36}$|^\d+$/.test(r));
      return id ?? null;
    },
    close: async () => undefined,
  };
}
