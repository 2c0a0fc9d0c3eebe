import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startPostgres, type StartedPostgres } from '../test-support/containers';
import { API_ROOT } from '../test-support/stack';

let pg: StartedPostgres;
let dir: string;
let env: Record<string, string>;
let db: Pool;

beforeAll(async () => {
  pg = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'dhakacart-cli-'));
  writeFileSync(join(dir, 'db'), pg.password);
  env = { DB_HOST: pg.host, DB_PORT: String(pg.port), DB_PASSWORD_FILE: join(dir, 'db') };
  db = new Pool({
    host: pg.host,
    port: pg.port,
    user: 'dhakacart',
    database: 'dhakacart',
    password: pg.password,
  });
});
afterAll(async () => {
  await db?.end();
  await pg?.container.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one of the API's commands as a separate process, like the one-shot jobs do. */
function cli(name: string, args: string[] = [], extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('src', 'cli', `${name}.ts`), ...args],
      { cwd: API_ROOT, env: { ...process.env, ...env, ...extraEnv } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

test('migrate up applies the schema once; a second run applies nothing', async () => {
  const first = await cli('migrate', ['up']);
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(0);
  const second = await cli('migrate', ['up']);
  expect(JSON.parse(second.stdout)).toEqual({ direction: 'up', applied: [] });
});

test('seed loads the catalogue and is idempotent', async () => {
  const a = await cli('seed');
  expect(a.code).toBe(0);
  const count = async () => (await db.query('SELECT count(*)::int AS n FROM products')).rows[0].n;
  const n = await count();
  expect(n).toBeGreaterThanOrEqual(2000);
  expect((await cli('seed')).code).toBe(0);
  expect(await count()).toBe(n);
});

test('create-admin makes an admin from a password file, and can reset it', async () => {
  writeFileSync(join(dir, 'admin'), 'a-long-admin-password\n');
  const r = await cli('create-admin', [
    '--email',
    'Owner@DhakaCart.test',
    '--password-file',
    join(dir, 'admin'),
  ]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).user).toMatchObject({ email: 'owner@dhakacart.test', role: 'admin' });
  expect(r.stdout + r.stderr).not.toContain('a-long-admin-password');
  const row = await db.query(
    "SELECT role, password_hash FROM users WHERE email = 'owner@dhakacart.test'",
  );
  expect(row.rows[0].role).toBe('admin');
  expect(row.rows[0].password_hash).toMatch(/^\$argon2id\$/);
  expect(
    (
      await cli('create-admin', [
        '--email',
        'owner@dhakacart.test',
        '--password-file',
        join(dir, 'admin'),
      ])
    ).code,
  ).toBe(0);
  expect(
    (await db.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin'")).rows[0].n,
  ).toBe(1);
});

test('create-admin refuses missing flags, unreadable files and weak passwords with exit 2 or 1', async () => {
  const noFile = await cli('create-admin', ['--email', 'a@b.test']);
  expect(noFile.code).toBe(2);
  expect(noFile.stderr).toMatch(/--password-file/);
  writeFileSync(join(dir, 'weak'), 'short');
  expect(
    (await cli('create-admin', ['--email', 'a@b.test', '--password-file', join(dir, 'weak')])).code,
  ).toBe(2);
  const missing = await cli('create-admin', [
    '--email',
    'a@b.test',
    '--password-file',
    join(dir, 'nope'),
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/create-admin: failed: ENOENT/);
});

test('migrate explains bad configuration without a stack trace', async () => {
  const r = await cli('migrate', ['up'], { DB_PORT: 'not-a-port' });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/DB_PORT/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('migrate --count is decimal digits only, and a refused count touches nothing', async () => {
  // Number(text) read "1e1" as 10 and "0x2" as 2: a down migration of ten steps from a typo.
  for (const count of ['1e1', '0x2', ' 1']) {
    const r = await cli('migrate', ['down', '--count', count]);
    expect({ count, code: r.code, stderr: r.stderr }).toEqual({
      count,
      code: 2,
      stderr: 'migrate: --count must be a whole number\n',
    });
  }
});
