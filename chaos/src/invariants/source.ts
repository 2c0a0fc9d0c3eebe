import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import {
  containerOf,
  currentLeader,
  PATRONI_MEMBERS,
  READER_CREDENTIALS,
  run,
} from '@dhakacart/lab-client';

/**
 * Where the invariants checker reads the database. Every query returns one JSON value, so the
 * same SQL runs over a `pg` connection (tests, any reachable database) and over psql inside a
 * lab member (the lab's data tier publishes nothing).
 */
export interface SqlSource {
  describe(): string;
  /** Runs `sql`, which selects exactly one JSON value, inside a read-only transaction. */
  json<T>(sql: string): Promise<T>;
  close(): Promise<void>;
}

/** The source could not be reached at all: the checker exits 2 rather than report zeros. */
export class SourceUnavailable extends Error {}

const readOnly = (sql: string) => `BEGIN TRANSACTION READ ONLY;\nSELECT (${sql})::text;\nCOMMIT;\n`;

export async function pgSource(connectionString: string): Promise<SqlSource> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new SourceUnavailable(`cannot connect to the database: ${(e as Error).message}`);
  }
  const where = new URL(connectionString);
  return {
    describe: () => `${where.hostname}:${where.port || 5432}${where.pathname}`,
    async json<T>(sql: string) {
      await client.query('BEGIN TRANSACTION READ ONLY');
      try {
        const r = await client.query<{ v: string }>(`SELECT (${sql})::text AS v`);
        return JSON.parse(r.rows[0]!.v) as T;
      } finally {
        await client.query('COMMIT').catch(() => undefined);
      }
    },
    close: () => client.end(),
  };
}

/**
 * The lab's database, read as the reader role (credentials in .lab/reader.json, made by
 * `npm run lab`) through psql inside the leader's container (or any member that runs).
 */
export async function labSource(credentialsFile = READER_CREDENTIALS): Promise<SqlSource> {
  let creds: { username: string; password: string };
  try {
    creds = JSON.parse(readFileSync(credentialsFile, 'utf8'));
  } catch {
    throw new SourceUnavailable(
      `no reader credentials at ${credentialsFile}: run \`npm run lab\` first`,
    );
  }
  const leader = await currentLeader().catch(() => undefined);
  const order = [leader, ...PATRONI_MEMBERS].filter((m): m is string => !!m);
  let member: { name: string; container: string } | null = null;
  for (const name of order) {
    const container = await containerOf(name);
    if (container) {
      member = { name, container };
      break;
    }
  }
  if (!member) throw new SourceUnavailable('no lab database member is running: is the lab up?');
  const { name, container } = member;
  return {
    describe: () => `lab member ${name} as ${creds.username}`,
    async json<T>(sql: string) {
      const r = await run(
        'docker',
        [
          'exec',
          '-i',
          '-e',
          'PGPASSWORD',
          container,
          'psql',
          '-X',
          '-q',
          '-At',
          '-v',
          'ON_ERROR_STOP=1',
          `host=127.0.0.1 dbname=dhakacart user=${creds.username} connect_timeout=5`,
        ],
        { input: readOnly(sql), env: { ...process.env, PGPASSWORD: creds.password } },
      );
      if (r.code !== 0) {
        const msg = r.stderr.trim() || r.stdout.trim();
        if (/could not connect|connection refused|No such container|is not running/i.test(msg))
          throw new SourceUnavailable(`cannot reach the lab database: ${msg}`);
        throw new Error(`query failed on ${name}: ${msg}`);
      }
      const line = r.stdout.split('\n').filter(Boolean).pop();
      if (line === undefined) throw new Error(`no answer from ${name}`);
      return JSON.parse(line) as T;
    },
    close: async () => undefined,
  };
}
