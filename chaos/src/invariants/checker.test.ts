import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LAB_DATABASE_MARK, readerRoleSql, READER_ROLE } from '@dhakacart/lab';
import { OrderHistory, readHistory, type HistoryLine } from '@dhakacart/loadtests';
import {
  checkoutBody,
  newKey,
  newProduct,
  userClient,
} from '@dhakacart/api/src/test-support/fixtures';
import { startStack, type TestStack } from '@dhakacart/api/src/test-support/stack';
import { assertSafeSource, checkInvariants, RefusedSource } from './checker';
import { pgSource, type SqlSource } from './source';

// The checker on real PostgreSQL with the api's real schema, orders placed through the real
// api's checkout; each test breaks exactly one invariant on data of its own and must see it.

const exec = promisify(execFile);
let stack: TestStack;
let reader: SqlSource;
let readerUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'invariants-'));

const url = (user: string, password: string) =>
  `postgres://${user}:${encodeURIComponent(password)}@${stack.pg.host}:${stack.pg.port}/dhakacart`;

beforeAll(async () => {
  stack = await startStack({ redis: false });
  const password = randomBytes(18).toString('base64url');
  // The test database's owner is a superuser: as the lab does on its primary, it makes the reader.
  await stack.db.query(readerRoleSql(password));
  readerUrl = url(READER_ROLE, password);
  reader = await pgSource(readerUrl);
});
afterAll(async () => {
  await reader?.close();
  await stack?.stop();
});

/** Places `n` orders for one product through the real api; returns the history of them. */
async function ordersThroughTheApi(n: number, stock = 20) {
  const p = await newProduct(stack.db, stock);
  const { client, email } = await userClient(stack.api.url, stack.db);
  const file = join(dir, `${p}.jsonl`);
  const history = new OrderHistory(file);
  for (let i = 0; i < n; i++) {
    await client.put(`/api/cart/items/${p}`, { quantity: 1 });
    const key = newKey();
    const r = await client.post('/api/orders', checkoutBody('cod'), {
      headers: { 'idempotency-key': key },
    });
    if (r.status !== 201) throw new Error(`order failed: ${r.status} ${r.text}`);
    history.acked({ orderId: r.body.order.id, key, customer: email });
  }
  return { product: p, file, lines: readHistory(file) };
}

const since = () => new Date(Date.now() - 1000);

test('orders placed through the real checkout keep every invariant', async () => {
  const t0 = since();
  const { lines } = await ordersThroughTheApi(3);
  const r = await checkInvariants(reader, lines, { since: t0 });
  expect(r).toMatchObject({
    lost: 0,
    oversold: 0,
    duplicates: 0,
    conservation: 0,
    stranded: 0,
    unresolved: 0,
    passed: true,
  });
  expect(r.checked.ackedOrders).toBe(3);
});

test('an acknowledged order missing from the database is lost', async () => {
  const { lines, product } = await ordersThroughTheApi(2);
  const gone = (lines[0] as { orderId: string }).orderId;
  // Gone with its stock movement, as a restore from before it would be: only "lost" breaks.
  await stack.db.query('DELETE FROM orders WHERE id = $1', [gone]);
  await stack.db.query('UPDATE products SET stock = stock + 1 WHERE id = $1', [product]);
  const r = await checkInvariants(reader, lines, { since: since() });
  expect(r.lost).toBe(1);
  expect(r.details.lost).toEqual([gone]);
  expect(r.conservation).toBe(0);
  expect(r.passed).toBe(false);
});

test('stock that appears or vanishes outside an order breaks conservation; selling beyond receipts is oversold', async () => {
  const { product } = await ordersThroughTheApi(1, 5);
  await stack.db.query('UPDATE products SET stock = stock + 3 WHERE id = $1', [product]);
  let r = await checkInvariants(reader, []);
  expect(r.details.conservation).toEqual([
    { productId: product, received: 5, onHand: 7, reserved: 0, sold: 1 },
  ]);
  await stack.db.query('UPDATE products SET stock = 0, stock_received = 0 WHERE id = $1', [
    product,
  ]);
  r = await checkInvariants(reader, []);
  expect(r.details.oversold).toEqual(
    expect.arrayContaining([{ productId: product, stock: 0, sold: 1, received: 0 }]),
  );
  // Put it right for the tests after this one.
  await stack.db.query('UPDATE products SET stock = 4, stock_received = 5 WHERE id = $1', [
    product,
  ]);
});

test('a pending order older than the grace is stranded; a fresh one is not', async () => {
  const t0 = since();
  const p = await newProduct(stack.db, 5);
  const { user } = await userClient(stack.api.url, stack.db);
  const pending = async (age: string) =>
    stack.db.query(
      `WITH o AS (INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method,
                    total_paisa, shipping_address, created_at)
                  VALUES ($1, $2, 'h', 'pending', 'cod', 1, '{}', now() - $4::interval) RETURNING id)
       INSERT INTO order_items SELECT id, $3, 'x', 1, 1 FROM o`,
      [user.id, newKey(), p, age],
    );
  await stack.db.query('UPDATE products SET stock = stock - 2 WHERE id = $1', [p]);
  await pending('0 seconds');
  expect((await checkInvariants(reader, [], { since: new Date(0) })).stranded).toBe(0);
  await pending('2 minutes');
  const r = await checkInvariants(reader, [], { since: new Date(Date.now() - 3_600_000) });
  expect(r.stranded).toBe(1);
  expect(r.conservation).toBe(0);
  // Scoped to a run that began after it, the old one is none of the run's business.
  expect((await checkInvariants(reader, [], { since: t0 })).stranded).toBe(0);
});

test('keys never answered are unresolved; one key acknowledged as two orders is a duplicate', async () => {
  const { lines } = await ordersThroughTheApi(2);
  const [a, b] = lines as Extract<HistoryLine, { orderId: string }>[];
  const history: HistoryLine[] = [
    ...lines,
    { key: 'never-answered', unresolved: true, at: new Date().toISOString() },
    { ...b!, key: a!.key },
  ];
  const r = await checkInvariants(reader, history);
  expect(r.unresolved).toBe(1);
  expect(r.duplicates).toBe(1);
});

test('refuses a role that can write, and a database not marked as the lab', async () => {
  const writer = await pgSource(url('dhakacart', stack.pg.password));
  await expect(assertSafeSource(writer, LAB_DATABASE_MARK)).rejects.toThrow(/the role can write/);
  await writer.close();
  await expect(assertSafeSource(reader, 'another-mark')).rejects.toBeInstanceOf(RefusedSource);
  await expect(assertSafeSource(reader, LAB_DATABASE_MARK)).resolves.toBeUndefined();
});

describe('the command', () => {
  const cli = (args: string[]) =>
    exec('npx', ['--no-install', 'tsx', join(__dirname, '..', 'cli.ts'), 'invariants', ...args], {
      encoding: 'utf8',
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  test('prints a JSON report and exits 0 when everything holds, 1 when something broke', async () => {
    const { file } = await ordersThroughTheApi(1);
    const ok = await cli([
      '--database-url',
      readerUrl,
      '--history',
      file,
      '--json',
      '--since',
      new Date().toISOString(),
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ lost: 0, passed: true });
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, `${JSON.stringify({ key: 'k', unresolved: true, at: 'now' })}\n`);
    const bad = await cli([
      '--database-url',
      readerUrl,
      '--history',
      broken,
      '--since',
      new Date().toISOString(),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/invariants FAIL: .*unresolved 1/);
  });

  test('exits 2 with a clear message when it cannot connect, rather than reporting zeros', async () => {
    const r = await cli(['--database-url', 'postgres://x:y@127.0.0.1:1/none', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot connect to the database/);
  });

  test('exits 2 for a writable role and for a malformed history', async () => {
    const writer = await cli(['--database-url', url('dhakacart', stack.pg.password)]);
    expect(writer.code).toBe(2);
    expect(writer.stderr).toMatch(/role can write/);
    const junk = join(dir, 'junk.jsonl');
    writeFileSync(junk, 'not json\n');
    const bad = await cli(['--database-url', readerUrl, '--history', junk]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/junk.jsonl:1: not JSON/);
  });
});
