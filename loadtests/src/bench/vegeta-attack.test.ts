import { createServer, type Server } from 'node:https';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '@dhakacart/lab-client/src/test-support/self-signed';
import { vegetaAttack, type VegetaRow } from './vegeta';

// The real Vegeta (built by the README commands) against a local HTTPS server that counts what
// it answers: rows decoded live and rows decoded after the attack say the same.
const dir = mkdtempSync(join(tmpdir(), 'vegeta-attack-'));
let server: Server;
let url = '';
let served = 0;

beforeAll(async () => {
  selfSignedCert(join(dir, 'key.pem'), join(dir, 'crt.pem'));
  server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'crt.pem')) },
    (req, res) => {
      served++;
      res.statusCode = req.url === '/missing' ? 404 : 200;
      if (req.url === '/') res.setHeader('X-Cache', served % 2 ? 'HIT' : 'MISS');
      res.end('ok');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  url = `https://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function attack(deferRows: boolean) {
  let i = 0;
  const run = vegetaAttack({
    ratePerSecond: 50,
    seconds: 2,
    caFile: join(dir, 'crt.pem'),
    maxConnections: 8,
    deferRows,
    targets: () => ({ method: 'GET', url: `${url}${i++ % 5 === 4 ? '/missing' : '/'}` }),
  });
  const rows: VegetaRow[] = [];
  for await (const r of run.rows) rows.push(r);
  expect(await run.done).toBe(0);
  return rows;
}

test.each([false, true])(
  'every request of a constant-rate attack comes back as a row (decoded after the attack: %s)',
  async (deferRows) => {
    const before = served;
    const tmpBefore = readdirSync(tmpdir()).filter((f) => f.startsWith('vegeta-')).length;
    const rows = await attack(deferRows);
    expect(rows).toHaveLength(100);
    expect(served - before).toBe(100);
    expect(rows.filter((r) => r.code === 404)).toHaveLength(20);
    expect(rows.filter((r) => r.code === 200)).toHaveLength(80);
    expect(rows.every((r) => r.latencyMs > 0 && r.timestamp > 0)).toBe(true);
    // The edge's X-Cache comes back with each row (the open model's hit/miss split reads it).
    const cache = (v: string | null) => rows.filter((r) => r.cache === v).length;
    expect(cache(null)).toBe(20);
    expect(cache('HIT') + cache('MISS')).toBe(80);
    expect(cache('HIT')).toBeGreaterThan(0);
    expect(cache('MISS')).toBeGreaterThan(0);
    // A deferred attack leaves no results file behind.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('vegeta-')).length).toBe(tmpBefore);
  },
  30_000,
);

test('a decoder that dies while the attack still writes does not crash the caller (EPIPE)', async () => {
  // The load runner's stop signals every child, the decoder included, while the attack drains its
  // last results into the pipe to it. Before the fix the failed write was an unhandled 'error'
  // event and took down the release gate and the aborted game day before they reported.
  const crashes: unknown[] = [];
  const onUncaught = (e: unknown) => crashes.push(e);
  const listeners = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onUncaught);
  try {
    const run = vegetaAttack({
      ratePerSecond: 400,
      seconds: 3,
      caFile: join(dir, 'crt.pem'),
      maxConnections: 8,
      targets: () => ({ method: 'GET', url: `${url}/` }),
    });
    const rows: VegetaRow[] = [];
    const reading = (async () => {
      for await (const r of run.rows) rows.push(r);
    })();
    await new Promise((r) => setTimeout(r, 700));
    expect(run.processes).toHaveLength(2);
    run.processes[1]!.kill('SIGKILL');
    expect(await run.done).toBe(0); // the attack itself ran its course
    await reading;
    await new Promise((r) => setTimeout(r, 200));
    expect(crashes).toEqual([]);
    expect(rows.length).toBeLessThan(1200); // the decoder's rows stopped when it died
  } finally {
    process.removeListener('uncaughtException', onUncaught);
    for (const l of listeners) process.on('uncaughtException', l);
  }
}, 30_000);

test('a reader that stops early leaves no results file behind (decoded after the attack)', async () => {
  const tmpBefore = readdirSync(tmpdir()).filter((f) => f.startsWith('vegeta-')).length;
  const run = vegetaAttack({
    ratePerSecond: 50,
    seconds: 1,
    caFile: join(dir, 'crt.pem'),
    maxConnections: 8,
    deferRows: true,
    targets: () => ({ method: 'GET', url: `${url}/` }),
  });
  let n = 0;
  for await (const r of run.rows) {
    expect(r.code).toBe(200);
    if (++n === 3) break;
  }
  expect(readdirSync(tmpdir()).filter((f) => f.startsWith('vegeta-')).length).toBe(tmpBefore);
}, 30_000);
