// The clone drill's verification against real PostgreSQL (the project's image): a "live" server
// and a "clone" server with the api's schema; the drill's own script and SQL must call them
// equal when the clone holds every order created up to the point in time, and unequal when one
// is missing or altered. Needs Docker (TESTCONTAINERS_RYUK_DISABLED=true on this machine).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres, type StartedPostgres } from '@dhakacart/api/src/test-support/containers';
import { ORDERS_CHECKSUM_SQL, VERIFY_SCRIPT } from './restore-drill';

const MIGRATIONS = path.resolve(__dirname, '..', '..', '..', '..', 'app', 'api', 'migrations');
let live: StartedPostgres;
let clone: StartedPostgres;
let work: string;

const url = (pg: StartedPostgres, password = pg.password) =>
  `postgresql://dhakacart:${encodeURIComponent(password)}@${pg.host}:${pg.port}/dhakacart`;
function sql(pg: StartedPostgres, text: string, password?: string): string {
  const r = spawnSync('psql', [url(pg, password), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], {
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

const UNTIL = '2026-03-01T10:00:00Z';
const USER = randomUUID();
const orderSql = (id: string, createdAt: string, qty: number) => `
INSERT INTO orders (id, user_id, idempotency_key, request_hash, status, payment_method, total_paisa, shipping_address, created_at)
VALUES ('${id}', '${USER}', 'k-${id}', md5('${id}'), 'confirmed', 'cod', ${1000 * qty}, '{"city":"Dhaka"}', '${createdAt}');
INSERT INTO order_items (order_id, product_id, name, quantity, price_paisa)
VALUES ('${id}', (SELECT id FROM products WHERE sku = 'DRILL-1'), 'Drill item', ${qty}, 1000);`;

function verify(): string {
  const r = spawnSync('sh', ['-c', VERIFY_SCRIPT], {
    env: {
      PATH: process.env.PATH,
      WORK: work,
      DB_HOST: live.host,
      DB_PORT: String(live.port),
      CLONE_PORT: String(clone.port),
      DB_NAME: 'dhakacart',
      DB_USER: 'dhakacart',
      PASSWORD_FILE: path.join(work, 'password'),
      LIVE_CA: '/nonexistent',
      CHECKSUM_SQL: path.join(work, 'checksum.sql'),
      PGSSLMODE_DRILL: 'disable',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  return fs.readFileSync(path.join(work, 'result'), 'utf8').trim();
}

beforeAll(async () => {
  [live, clone] = await Promise.all([startPostgres(), startPostgres()]);
  // A clone carries the source's users and passwords.
  sql(clone, `ALTER USER dhakacart PASSWORD '${live.password}';`);
  const up = fs
    .readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => fs.readFileSync(path.join(MIGRATIONS, f), 'utf8').split('-- Down Migration')[0])
    .join('\n');
  const base = `${up}
INSERT INTO categories (slug, name) VALUES ('drill', 'Drill');
INSERT INTO products (sku, name, category_id, price_paisa, stock)
  VALUES ('DRILL-1', 'Drill item', (SELECT id FROM categories WHERE slug = 'drill'), 1000, 1000000);
INSERT INTO users (id, email, password_hash, name) VALUES ('${USER}', 'drill@dhakacart.test', 'x', 'Drill');`;
  const before = Array.from({ length: 20 }, (_, i) =>
    orderSql(
      randomUUID(),
      `2026-03-01T09:${String(10 + i).padStart(2, '0')}:00.123456Z`,
      1 + (i % 3),
    ),
  ).join('\n');
  // The live database carries on after the point in time; the clone stops there.
  const after = Array.from({ length: 5 }, (_, i) =>
    orderSql(randomUUID(), `2026-03-01T10:0${1 + i}:00Z`, 2),
  ).join('\n');
  sql(live, `${base}\n${before}\n${after}`, live.password);
  sql(clone, `${base}\n${before}`, live.password);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
  fs.writeFileSync(path.join(work, 'password'), live.password);
  fs.writeFileSync(path.join(work, 'checksum.sql'), ORDERS_CHECKSUM_SQL);
  fs.writeFileSync(
    path.join(work, 'clone'),
    `dhakacart-prod-pg-drill-202603011015\n${clone.host}\n2026-03-01T10:01:00.000Z\n${UNTIL}\n`,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([live?.container.stop(), clone?.container.stop()]);
});

describe('the clone drill’s verification on real PostgreSQL', () => {
  it('finds the clone equal: same count and checksum of orders up to the point in time', () => {
    expect(verify()).toMatch(
      /^result=ok orders=20 checksum=[0-9a-f]{32} until=2026-03-01T10:00:00Z clone=dhakacart-prod-pg-drill-/,
    );
  });

  it('computes it in a read-only transaction (it cannot write to the live database)', () => {
    const r = spawnSync(
      'psql',
      [url(live), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-v', `until=${UNTIL}`],
      { input: `${ORDERS_CHECKSUM_SQL}\nDELETE FROM order_items;`, encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/read-only transaction/);
  });

  it('reports a mismatch when an order’s item differs on the clone', () => {
    sql(
      clone,
      `UPDATE order_items SET quantity = quantity + 1 WHERE order_id = (SELECT id FROM orders ORDER BY created_at LIMIT 1);`,
      live.password,
    );
    expect(verify()).toMatch(
      /^result=mismatch until=\S+ live=\[20 [0-9a-f]{32}\] clone=\[20 [0-9a-f]{32}\]$/,
    );
  });

  it('reports a mismatch when an order is missing from the clone', () => {
    sql(
      clone,
      `DELETE FROM orders WHERE id = (SELECT id FROM orders ORDER BY created_at DESC LIMIT 1);`,
      live.password,
    );
    expect(verify()).toMatch(/^result=mismatch .* clone=\[19 /);
  });

  it('reports an error, not a pass, when the clone does not answer', () => {
    const lines = fs.readFileSync(path.join(work, 'clone'), 'utf8').split('\n');
    lines[1] = '127.0.0.1';
    fs.writeFileSync(path.join(work, 'clone'), lines.join('\n'));
    const r = spawnSync('sh', ['-c', VERIFY_SCRIPT], {
      env: {
        PATH: process.env.PATH,
        WORK: work,
        DB_HOST: live.host,
        DB_PORT: String(live.port),
        CLONE_PORT: '1',
        DB_NAME: 'dhakacart',
        DB_USER: 'dhakacart',
        PASSWORD_FILE: path.join(work, 'password'),
        LIVE_CA: '/nonexistent',
        CHECKSUM_SQL: path.join(work, 'checksum.sql'),
        PGSSLMODE_DRILL: 'disable',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(work, 'result'), 'utf8')).toMatch(
      /^result=error the clone dhakacart-prod-pg-drill-\S+ did not answer/,
    );
  });
});
