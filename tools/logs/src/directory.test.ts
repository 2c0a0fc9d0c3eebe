/**
 * `logs customer <email>` against a real PostgreSQL (the project's image) with the api's own
 * schema, applied by the api's own migration command: an email resolves to the user id the logs
 * carry, an unknown email is exit 5, a database that refuses us is exit 8, and the email is never
 * printed nor sent to the log store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type StartedPostgres } from '@dhakacart/api/src/test-support/containers';
import { migrate, stackEnv } from '@dhakacart/api/src/test-support/stack';
import { Pool } from 'pg';
import { EXIT, runCli } from './cli';
import { directoryFromEnv, DirectoryDownError, pgCustomerDirectory } from './directory';

let pg: StartedPostgres;
let db: Pool;
let secretDir: string;
let userId: string;
const email = `Shoppe.${Date.now()}@Example.test`;
/** Captures the queries the CLI sends to the "store" (a fake that always answers empty). */
let storeBodies: string[] = [];
let store: Server;
let storeUrl = '';

beforeAll(async () => {
  pg = await startPostgres();
  secretDir = mkdtempSync(join(tmpdir(), 'logs-directory-'));
  await migrate(stackEnv(pg, null, secretDir));
  db = new Pool({
    host: pg.host,
    port: pg.port,
    user: 'dhakacart',
    database: 'dhakacart',
    password: pg.password,
  });
  const r = await db.query<{ id: string }>(
    `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Shoppe', 'x') RETURNING id`,
    [email.toLowerCase()],
  );
  userId = r.rows[0]!.id;
  writeFileSync(join(secretDir, 'pgpass'), pg.password);
  // The log store's side of the conversation, recorded: an HTTP server answering no rows.
  store = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      storeBodies.push(`${req.method} ${req.url}\n${body}`);
      res.writeHead(200, { 'content-type': 'application/stream+json' }).end();
    });
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
  storeUrl = `http://127.0.0.1:${(store.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  await db?.end();
  await pg?.container.stop();
  store?.close();
  rmSync(secretDir, { recursive: true, force: true });
});

const env = () => ({
  LOGS_URL: storeUrl,
  PGHOST: pg.host,
  PGPORT: String(pg.port),
  PGDATABASE: 'dhakacart',
  PGUSER: 'dhakacart',
  PGPASSWORD_FILE: join(secretDir, 'pgpass'),
});

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  storeBodies = [];
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s), env: env() });
  return { code, out, err, sent: storeBodies.join('\n') };
}

test('the directory maps an email (any case) to the user id, and an unknown one to null', async () => {
  const dir = pgCustomerDirectory({
    host: pg.host,
    port: pg.port,
    database: 'dhakacart',
    user: 'dhakacart',
    password: pg.password,
    timeoutMs: 5000,
  });
  try {
    expect(await dir.userIdForEmail(email)).toBe(userId);
    expect(await dir.userIdForEmail('nobody-here@example.test')).toBeNull();
  } finally {
    await dir.close();
  }
});

test('customer <email> queries the store by user id; the email appears nowhere', async () => {
  const r = await cli('customer', email, '--json');
  // The fake store has no rows: an empty result, after a query that named the user id.
  expect(r.code).toBe(EXIT.empty);
  expect(JSON.parse(r.out)).toMatchObject({ userId, count: 0 });
  expect(decodeURIComponent(r.sent.replace(/\+/g, ' '))).toContain(
    `event.line.customerId:="${userId}"`,
  );
  expect(r.sent.startsWith('POST /select/logsql/query\n')).toBe(true);
  for (const s of [r.out, r.err, r.sent, decodeURIComponent(r.sent)])
    expect(s.toLowerCase()).not.toContain(email.toLowerCase().split('@')[0]);
});

test('an unknown email is exit 5 and the store is never asked', async () => {
  const r = await cli('customer', 'ghost.customer@example.test');
  expect(r.code).toBe(EXIT.unknownCustomer);
  expect(r.err).toBe('error: no customer account has that email address\n');
  expect(r.sent).toBe('');
});

test('a database that refuses the login is exit 8 with the reason, not a stack trace', async () => {
  writeFileSync(join(secretDir, 'wrongpass'), 'not-the-password');
  let err = '';
  const code = await runCli(['customer', email], {
    out: () => undefined,
    err: (s) => (err += s),
    env: { ...env(), PGPASSWORD_FILE: join(secretDir, 'wrongpass') },
  });
  expect(code).toBe(EXIT.directoryDown);
  expect(err).toMatch(
    /the shop's database did not answer the customer lookup \(.*password authentication failed/,
  );
  expect(err).not.toMatch(/\n\s+at /);
  expect(() => directoryFromEnv({ PGHOST: 'x', PGPASSWORD_FILE: '/nonexistent' }, 1000)).toThrow(
    DirectoryDownError,
  );
});

test('PGPORT is decimal digits only: " 5432" or "0x1538" is refused, naming it', () => {
  for (const PGPORT of [' 5432', '0x1538', '5.432e3'])
    expect(() => directoryFromEnv({ PGHOST: 'x', PGPORT, PGPASSWORD_FILE: '/x' }, 1000)).toThrow(
      'the database settings are incomplete: PGPORT: must be a whole number written in digits',
    );
});
