/**
 * The lab edge (infra/lab/haproxy/edge.cfg, unchanged, in the project's HAProxy image, with a
 * throwaway operators' userlist where the lab's secret would be) gives every
 * request an X-Request-Id: it keeps a caller's well-formed id, replaces anything else with a
 * UUID, sends it to the api and back to the caller, and logs it in its JSON access line. The api
 * is a stand-in container that answers with the id it received, reachable as `tasks.api` through
 * Docker's embedded DNS (127.0.0.11, as in Swarm) on a throwaway network.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRef } from '@dhakacart/images';
import { REPO_ROOT } from '@dhakacart/lab-client';
import { selfSignedEdgePem } from '@dhakacart/lab-client/src/test-support/self-signed';

const EDGE_CFG = join(REPO_ROOT, 'infra', 'lab', 'haproxy', 'edge.cfg');
const tag = randomBytes(4).toString('hex');
const net = `logs-edge-${tag}`;
const api = `logs-edge-api-${tag}`;
const edge = `logs-edge-${tag}-haproxy`;
const dir = mkdtempSync(join(tmpdir(), 'logs-edge-'));
let port = 0;

const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// Product 9's page is cacheable, as the api's catalogue reads are; nothing else is.
const API_STANDIN = `require('http').createServer((q, s) => {
  s.setHeader('content-type', 'application/json');
  if (q.url === '/api/products/9') s.setHeader('cache-control', 'public, max-age=60');
  s.end(JSON.stringify({ received: q.headers['x-request-id'] ?? null }));
}).listen(3000);`;

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    header: string | undefined;
    cache: string | undefined;
    body: string;
  }>((resolve, reject) => {
    const r = request(
      // A throwaway self-signed certificate on loopback: verification is beside the point here.
      { host: '127.0.0.1', port, path, headers, rejectUnauthorized: false, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            header: res.headers['x-request-id'] as string,
            cache: res.headers['x-cache'] as string | undefined,
            body,
          }),
        );
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end();
  });
}

beforeAll(async () => {
  const { pem } = selfSignedEdgePem(dir);
  // The operators' userlist the lab generates into a Swarm secret (the edge does not start
  // without it); here a throwaway user with a random password nobody uses.
  const users = join(dir, 'ops_users.cfg');
  writeFileSync(
    users,
    `userlist ops\n    user ops insecure-password ${randomBytes(12).toString('hex')}\n`,
  );
  chmodSync(users, 0o644);
  chmodSync(dir, 0o755);
  docker('network', 'create', '--label', 'dhakacart.throwaway=logs', net);
  docker(
    'run',
    '-d',
    '--name',
    api,
    '--label',
    'dhakacart.throwaway=logs',
    '--network',
    net,
    '--network-alias',
    'tasks.api',
    imageRef('node'),
    'node',
    '-e',
    API_STANDIN,
  );
  docker(
    'run',
    '-d',
    '--name',
    edge,
    '--label',
    'dhakacart.throwaway=logs',
    '--network',
    net,
    '-p',
    '127.0.0.1::8443',
    '-v',
    `${EDGE_CFG}:/usr/local/etc/haproxy/haproxy.cfg:ro`,
    '-v',
    `${pem}:/run/secrets/edge_tls.pem:ro`,
    '-v',
    `${users}:/run/secrets/ops_users.cfg:ro`,
    imageRef('haproxy'),
    // As infra/lab/stack.yml's `command`: the userlist is a second configuration file.
    '-f',
    '/run/secrets/ops_users.cfg',
  );
  port = Number(/:(\d+)$/.exec(docker('port', edge, '8443/tcp').split('\n')[0]!)![1]);
  // Until HAProxy has resolved tasks.api and seen it healthy (downinter 2s, rise 2).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await get('/api/ping').catch(() => null);
    if (r?.status === 200) break;
    if (Date.now() > deadline)
      throw new Error(`edge never reached the api stand-in: ${docker('logs', edge)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}, 60_000);

afterAll(() => {
  for (const c of [edge, api]) {
    try {
      docker('rm', '-f', '-v', c);
    } catch {
      /* gone */
    }
  }
  try {
    docker('network', 'rm', net);
  } catch {
    /* gone */
  }
  rmSync(dir, { recursive: true, force: true });
});

test('without an id the edge makes a UUID, sends it to the api and returns it', async () => {
  const r = await get('/api/products');
  expect(r.status).toBe(200);
  expect(r.header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(JSON.parse(r.body)).toEqual({ received: r.header });
});

test("a caller's well-formed id is kept end to end", async () => {
  const id = `known-${tag}.1_x`;
  const r = await get('/api/products', { 'x-request-id': id });
  expect(r.header).toBe(id);
  expect(JSON.parse(r.body)).toEqual({ received: id });
});

test('a malformed id is replaced, not passed on', async () => {
  const r = await get('/api/products', { 'x-request-id': 'bad id "with" spaces' });
  expect(r.header).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(r.body)).toEqual({ received: r.header });
});

test('the edge logs one JSON line per request carrying the request id and no query string', async () => {
  const id = `logged-${tag}`;
  await get('/api/products/7?q=rahima%40example.test', { 'x-request-id': id });
  await new Promise((r) => setTimeout(r, 300));
  const lines = docker('logs', edge)
    .split('\n')
    .filter((l) => l.includes(id));
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({
    msg: 'request',
    frontend: 'https',
    // A product page is a catalogue read: the browse journey's backend (ADR 0202).
    backend: 'api_browse',
    method: 'GET',
    route: '/api/products/7',
    status: 200,
    reqId: id,
  });
  expect(lines[0]).not.toContain('rahima');
});

test('answers from the micro-cache are logged 1 in 100, the miss that filled it always', async () => {
  const prefix = `hit-${tag}-`;
  const answers: (string | undefined)[] = [];
  for (let i = 0; i < 200; i++)
    answers.push((await get('/api/products/9', { 'x-request-id': `${prefix}${i}` })).cache);
  await new Promise((r) => setTimeout(r, 300));
  const lines = docker('logs', edge)
    .split('\n')
    .filter((l) => l.includes(prefix))
    .map((l) => JSON.parse(l) as { reqId: string; server: string });
  // The first request missed and filled the cache. The edge keeps an entry at most 5 s, so a
  // slow machine may see it expire and refill mid-run: each MISS (from X-Cache) is a request that
  // reached the api, and every one of those is logged.
  expect(answers[0]).toBe('MISS');
  const missed = answers.flatMap((a, i) => (a === 'MISS' ? [`${prefix}${i}`] : []));
  expect(answers.every((a) => a === 'MISS' || a === 'HIT')).toBe(true);
  expect(missed.length).toBeLessThan(10);
  for (const id of missed) {
    const line = lines.filter((l) => l.reqId === id);
    expect(line).toHaveLength(1);
    expect(line[0]!.server).toMatch(/^api/);
  }
  // The hits sampled at 1%: about 2 lines; logging every hit would give about 199. P(more than
  // 15) is below 1e-9.
  const hits = lines.filter((l) => !missed.includes(l.reqId));
  expect(hits.every((l) => l.server === '<CACHE>')).toBe(true);
  expect(hits.length).toBeLessThanOrEqual(15);
});

/**
 * One HTTP/2 POST with curl (a connection of its own): the status, or curl's error. curl, like a
 * browser, sends the request in the same flight as the connection preface; Node's http2 client
 * waits for the server's settings first, and with it the reset below did not happen.
 */
function postOverHttp2(path: string, body: string): string {
  try {
    return `status ${execFileSync(
      'curl',
      [
        ...['-sSk', '--http2', '--max-time', '5', '-X', 'POST', `https://127.0.0.1:${port}${path}`],
        ...[
          '-H',
          'content-type: application/json',
          '-d',
          body,
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
        ],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )}`;
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e).trim();
  }
}

// Last: it removes the api stand-in. (In this file because it has the throwaway edge.)
test("with no api left, an HTTP/2 POST gets the edge's 503, not a reset stream", async () => {
  docker('rm', '-f', api);
  // Until the edge has taken the api out (a failed check, then fall 2 at fastinter 1s).
  const deadline = Date.now() + 30_000;
  while ((await get('/api/orders').catch(() => null))?.status !== 503) {
    if (Date.now() > deadline) throw new Error('the edge kept the removed api in rotation');
    await new Promise((res) => setTimeout(res, 500));
  }
  const answers: string[] = [];
  for (let i = 0; i < 20; i++) answers.push(postOverHttp2('/api/orders', '{"items":[]}'));
  // Without `option http-buffer-request` most of these streams were reset (CANCEL) before any
  // answer: the browser then saw a network error instead of the store's 503.
  expect(answers).toEqual(Array(20).fill('status 503'));
}, 60_000);
