import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuthorization,
  isOpsUrl,
  LAB_OPS,
  opsRequest,
  parseOpsCredentials,
  readOpsCredentials,
  useOpsSettings,
} from './ops';
import { createSilence, expireSilence, instant, postAlerts } from './prometheus';
import { push } from './pushgateway';
import { selfSignedCert } from './test-support/self-signed';

// The operations clients against a local HTTPS server with its own certificate, standing in for
// the edge's operations frontend: what the transport sends (CA trust, the Authorization header,
// which origins get it). The edge itself is proved by infra/lab's edge-ops tests and the lab test.

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

let dir: string;
let server: https.Server;
let port: number;
const seen: Seen[] = [];
const CREDS = { username: 'ops', password: 'correct-horse-battery-staple' };

/** What the stand-in answers: a Prometheus vector, an Alertmanager silence id, or 200. */
function answer(path: string): unknown {
  if (path.startsWith('/api/v1/query'))
    return { status: 'success', data: { resultType: 'vector', result: [] } };
  if (path === '/api/v2/silences') return { silenceID: 'silence-1' };
  return {};
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ops-client-'));
  selfSignedCert(join(dir, 'key.pem'), join(dir, 'ca.crt'));
  writeFileSync(join(dir, 'ops.json'), JSON.stringify(CREDS), { mode: 0o600 });
  server = https.createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.crt')) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (req.headers.authorization !== basicAuthorization(CREDS)) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
          return res.end();
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer(req.url ?? '')));
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  useOpsSettings();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  useOpsSettings({
    origins: [`https://127.0.0.1:${port}`],
    caFile: join(dir, 'ca.crt'),
    credentialsFile: join(dir, 'ops.json'),
  });
});

test('the lab clients send the credentials over TLS trusting only the given CA', async () => {
  const base = `https://127.0.0.1:${port}`;
  expect(await instant('up', base)).toEqual([]);
  await postAlerts([{ labels: { alertname: 'X' } }], base);
  const id = await createSilence(
    {
      matchers: [{ name: 'alertname', value: 'X' }],
      durationMs: 60_000,
      createdBy: 't',
      comment: 'c',
    },
    base,
  );
  expect(id).toBe('silence-1');
  await expireSilence(id, base);
  await push(base, 'job', { testid: 'a b' }, [
    { name: 'm', help: 'h', type: 'gauge', labels: {}, value: 1 },
  ]);
  expect(seen.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual([
    'GET /api/v1/query',
    'POST /api/v2/alerts',
    'POST /api/v2/silences',
    'DELETE /api/v2/silence/silence-1',
    'PUT /metrics/job/job/testid/a%20b',
  ]);
  expect(seen.every((s) => s.authorization === basicAuthorization(CREDS))).toBe(true);
  const silence = JSON.parse(seen[2]!.body) as { matchers: unknown[]; endsAt: string };
  expect(silence.matchers).toEqual([
    { name: 'alertname', value: 'X', isRegex: false, isEqual: true },
  ]);
});

test('any other origin gets neither the CA nor the credentials', async () => {
  // The same server under another name is not an operations origin: no credentials are sent,
  // and without the lab CA its certificate is not trusted.
  expect(isOpsUrl(`https://localhost:${port}/x`)).toBe(false);
  await expect(opsRequest(`https://localhost:${port}/x`)).rejects.toThrow(
    /self.signed|certificate/i,
  );
  expect(seen).toEqual([]);
});

test('a server without the right credentials answers 401, and the client says so', async () => {
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...CREDS, password: 'x'.repeat(20) }));
  useOpsSettings({
    origins: [`https://127.0.0.1:${port}`],
    caFile: join(dir, 'ca.crt'),
    credentialsFile: join(dir, 'wrong.json'),
  });
  await expect(instant('up', `https://127.0.0.1:${port}`)).rejects.toThrow(/HTTP 401/);
});

test('the credentials are read once: a file changed later does not change the header', async () => {
  const file = join(dir, 'once.json');
  writeFileSync(file, JSON.stringify(CREDS));
  useOpsSettings({
    origins: [`https://127.0.0.1:${port}`],
    caFile: join(dir, 'ca.crt'),
    credentialsFile: file,
  });
  await instant('up', `https://127.0.0.1:${port}`);
  writeFileSync(file, JSON.stringify({ ...CREDS, password: 'y'.repeat(20) }));
  await instant('up', `https://127.0.0.1:${port}`);
  expect(seen.map((s) => s.authorization)).toEqual([
    basicAuthorization(CREDS),
    basicAuthorization(CREDS),
  ]);
});

test('a missing or malformed credentials file is a clear error that never echoes a value', () => {
  expect(() => readOpsCredentials(join(dir, 'absent.json'))).toThrow(
    /no operations credentials at .*absent\.json \(ENOENT\): `npm run lab` makes them/,
  );
  expect(() => parseOpsCredentials('nope', 'f')).toThrow(/f is not JSON/);
  expect(() => parseOpsCredentials('{"username":"ops"}', 'f')).toThrow(/"password" must be/);
  // A username is written into HAProxy's configuration: nothing but a plain name passes.
  expect(() =>
    parseOpsCredentials(
      JSON.stringify({ ...CREDS, username: 'ops\n  user x insecure-password y' }),
      'f',
    ),
  ).toThrow(/"username" must match/);
  let message = '';
  try {
    parseOpsCredentials(JSON.stringify({ username: 'ops', password: 'short secret' }), 'f');
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/"password" must be 16 to 256 printable characters/);
  expect(message).not.toContain('short secret');
  expect(parseOpsCredentials(JSON.stringify(CREDS))).toEqual(CREDS);
});

test("the lab's operations origins are its four endpoints on loopback, TLS only", () => {
  expect(LAB_OPS.origins).toEqual([
    'https://127.0.0.1:9090',
    'https://localhost:9090',
    'https://127.0.0.1:9093',
    'https://localhost:9093',
    'https://127.0.0.1:9091',
    'https://localhost:9091',
    'https://127.0.0.1:9429',
    'https://localhost:9429',
  ]);
});
