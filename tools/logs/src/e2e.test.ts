/**
 * End to end without the lab: the project's VictoriaLogs image, and throwaway containers that log
 * through the Docker engine's Splunk driver with the lab's options (shipping.ts) and the Swarm
 * labels a stack's task carries, under a stack name of this test's own. The CLI then finds a
 * known request across "edge" and "api", a known customer, and the errors, each within 10 s.
 * The local copy (`docker logs`, and `docker service logs` when this engine is a Swarm manager)
 * keeps working. Everything started here is removed in afterAll.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { imageRef } from '@dhakacart/images';
import { EXIT, runCli } from './cli';
import { logTile } from './investigate';
import { dockerRunLogArgs, splunkOpts, type Candidate } from './shipping';
import { startThrowawayStore, type ThrowawayStore } from './store-container';

const tag = randomBytes(4).toString('hex');
const stack = `logs-e2e-${tag}`;
const reqId = `e2e-${tag}-req`;
const errReqId = `e2e-${tag}-err`;
const userId = randomUUID();
const started: string[] = [];
let store: ThrowawayStore;

const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A container that prints the given lines (stdout, or stderr for `err:` lines) and exits. */
function logAs(service: string, lines: string[]): string {
  const name = `${stack}_${service}.1.${randomBytes(12).toString('hex').slice(0, 25)}`;
  const shipping: Candidate = {
    name: 'splunk-hec',
    driver: 'splunk',
    opts: splunkOpts(store.url),
    summary: '',
  };
  const script = lines
    .map((l) =>
      l.startsWith('err:')
        ? `process.stderr.write(${JSON.stringify(l.slice(4) + '\n')});`
        : `process.stdout.write(${JSON.stringify(l + '\n')});`,
    )
    .join('');
  docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    'dhakacart.throwaway=logs',
    // What `docker stack deploy` puts on a task's container.
    '--label',
    `com.docker.stack.namespace=${stack}`,
    '--label',
    `com.docker.swarm.service.name=${stack}_${service}`,
    '--label',
    `com.docker.swarm.task.name=${name}`,
    '--label',
    'com.docker.swarm.node.id=e2enode',
    ...dockerRunLogArgs(shipping),
    imageRef('node'),
    'node',
    '-e',
    `${script} setTimeout(() => {}, 200);`,
  );
  started.push(name);
  return name;
}

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: { LOGS_URL: store.url, LOGS_STACK: stack },
  });
  return { code, out, err };
}

/**
 * Polls a CLI command (--json) until it exits 0 with at least `count` lines, for at most `ms`
 * after the lines were logged; returns the last result.
 */
async function within(ms: number, count: number, ...argv: string[]) {
  for (;;) {
    const r = await cli(...argv, '--json');
    const n = r.code === EXIT.ok ? (JSON.parse(r.out) as { count: number }).count : 0;
    if (n >= count || Date.now() - loggedAt > ms) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
}

const now = () => new Date().toISOString();
let apiContainer = '';
let loggedAt = 0;

beforeAll(async () => {
  store = await startThrowawayStore({ prefix: 'logs-e2e' });
  // The clock starts before the first container: its start-up counts against the 10 s.
  loggedAt = Date.now();
  logAs('edge', [
    JSON.stringify({
      msg: 'request',
      frontend: 'https',
      backend: 'api',
      method: 'POST',
      route: '/api/orders',
      status: 201,
      durationMs: 41,
      reqId,
    }),
  ]);
  apiContainer = logAs('api', [
    JSON.stringify({
      level: 30,
      time: now(),
      service: 'api',
      reqId,
      method: 'POST',
      route: '/api/orders',
      status: 201,
      durationMs: 38.2,
      customerId: userId,
      msg: 'request',
    }),
    JSON.stringify({
      level: 50,
      time: now(),
      service: 'api',
      reqId: errReqId,
      err: { message: 'connection terminated' },
      msg: 'unhandled error',
    }),
    JSON.stringify({
      level: 50,
      time: now(),
      service: 'api',
      reqId: errReqId,
      method: 'GET',
      route: '/api/products',
      status: 500,
      durationMs: 3,
      msg: 'request',
    }),
  ]);
  logAs('pg1', [
    `err:FATAL:  the database system is shutting down ${tag}`,
    `checkpoint complete ${tag}`,
  ]);
}, 60_000);

afterAll(() => {
  for (const c of started) {
    try {
      docker('rm', '-f', '-v', c);
    } catch {
      /* gone */
    }
  }
  store?.remove();
});

test('`logs request <id>` finds the edge and api lines of one request within 10 s', async () => {
  const r = await within(10_000, 2, 'request', reqId);
  expect([r.code, r.err]).toEqual([EXIT.ok, '']);
  expect((Date.now() - loggedAt) / 1000).toBeLessThan(10 + 2);
  const { lines } = JSON.parse(r.out) as {
    lines: { service: string; status: string; reqId: string }[];
  };
  expect(lines.map((l) => [l.service, l.status, l.reqId]).sort()).toEqual([
    ['api', '201', reqId],
    ['edge', '201', reqId],
  ]);
}, 20_000);

test('`logs customer <user id>` finds that customer and nobody else, within 10 s', async () => {
  const r = await within(10_000, 1, 'customer', userId);
  expect([r.code, r.err]).toEqual([EXIT.ok, '']);
  const body = JSON.parse(r.out) as { userId: string; lines: Record<string, string>[] };
  expect(body.userId).toBe(userId);
  expect(body.lines).toHaveLength(1);
  expect(body.lines[0]).toMatchObject({
    service: 'api',
    task: apiContainer,
    node: expect.any(String),
    level: 'info',
    route: '/api/orders',
    status: '201',
    customerId: userId,
    msg: 'request',
  });
  const other = await cli('customer', randomUUID(), '--since', '1h');
  expect(other.code).toBe(EXIT.empty);
}, 20_000);

test('`logs errors` finds pino errors, 5xx requests and a plain FATAL line; --service narrows it', async () => {
  const r = await within(10_000, 3, 'errors', '--since', '15m');
  expect((Date.now() - loggedAt) / 1000).toBeLessThan(10 + 2);
  const lines = (JSON.parse(r.out) as { lines: { service: string; msg: string; level: string }[] })
    .lines;
  expect(lines.map((l) => `${l.service}:${l.level}:${l.msg}`).sort()).toEqual([
    'api:error:request',
    'api:error:unhandled error',
    `pg1::FATAL:  the database system is shutting down ${tag}`,
  ]);
  const api = await cli('errors', '--service', 'pg1', '--json');
  expect(JSON.parse(api.out).lines).toHaveLength(1);
  const table = await cli('errors');
  expect(table.code).toBe(EXIT.ok);
  expect(table.out).toMatch(/^TIME \(UTC\)/);
  expect(table.out).toContain('3 error lines in the last 1h');
  expect((await cli('errors', '--service', 'web')).code).toBe(EXIT.empty);
}, 20_000);

test('`logs trend` counts requests and errors per service; the board tile sees the errors', async () => {
  const r = await cli('trend', '--since', '1h', '--json');
  expect([r.code, r.err]).toEqual([EXIT.ok, '']);
  const t = JSON.parse(r.out) as {
    services: { service: string; points: { requests: number; errors: number }[] }[];
  };
  const sum = (s: string, k: 'requests' | 'errors') =>
    t.services.find((x) => x.service === s)!.points.reduce((a, p) => a + p[k], 0);
  expect([sum('api', 'requests'), sum('api', 'errors')]).toEqual([2, 2]);
  expect([sum('edge', 'requests'), sum('edge', 'errors')]).toEqual([1, 0]);
  expect([sum('pg1', 'requests'), sum('pg1', 'errors')]).toEqual([0, 1]);
  const chart = await cli('trend', '--since', '1h');
  expect(chart.out).toMatch(/^api +req │.*│ peak/m);
  const tile = await logTile({ client: store.client, stack });
  expect(tile.topErrors.map((e) => `${e.service}:${e.message}:${e.count}`)).toEqual(
    expect.arrayContaining(['api:request:1', 'api:unhandled error:1']),
  );
  expect(tile.errorsPerMinute.map((s) => s.service).sort()).toEqual(['api', 'pg1']);
}, 20_000);

test('the local copy keeps working: `docker logs` reads the dual-logging cache', () => {
  const out = execFileSync('docker', ['logs', apiContainer], { encoding: 'utf8' });
  expect(out).toContain(`"reqId":"${reqId}"`);
});

test('a store that is down makes the tile "unknown" and the CLI exit 6, quickly', async () => {
  // A port nothing listens on: the store stopped.
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  const down = new (store.client.constructor as typeof import('./client').VictoriaLogsClient)({
    baseUrl: `http://127.0.0.1:${port}`,
    timeoutMs: 2000,
  });
  const tile = await logTile({ client: down, stack });
  expect(tile.status).toBe('unknown');
  const r = await runCli(['errors'], {
    out: () => undefined,
    err: () => undefined,
    env: { LOGS_URL: `http://127.0.0.1:${port}` },
  });
  expect(r).toBe(EXIT.storeDown);
});
