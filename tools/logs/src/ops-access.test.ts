/**
 * The CLI against a log store behind TLS and basic auth, as the lab's is behind its edge
 * (LOGS_URL https://127.0.0.1:9429; docs/adr/0208-ops-endpoints-behind-the-edge.md): a local
 * HTTPS server with a certificate of its own, standing in for the edge, that asks for the
 * operators' credentials and answers an empty query. The client adds the CA and the credentials
 * through lab-client's `opsRequest`, for the operations origins only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { basicAuthorization, useOpsSettings } from '@dhakacart/lab-client';
import { EXIT, runCli } from './cli';
import { selfSignedCert } from '@dhakacart/lab-client/src/test-support/self-signed';

const CREDS = { username: 'ops', password: 'logs-test-password-1' };
let dir: string;
let server: https.Server;
let url: string;
const seen: { path: string; authorization?: string }[] = [];

function capture(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logs-ops-'));
  selfSignedCert(join(dir, 'key.pem'), join(dir, 'ca.crt'));
  writeFileSync(join(dir, 'ops.json'), JSON.stringify(CREDS));
  writeFileSync(
    join(dir, 'wrong.json'),
    JSON.stringify({ ...CREDS, password: 'not-the-password-1' }),
  );
  server = https.createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.crt')) },
    (req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      if (req.headers.authorization !== basicAuthorization(CREDS)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="dhakacart-ops"' });
        return res.end('401 Unauthorized');
      }
      res.writeHead(200, { 'content-type': 'application/stream+json' });
      res.end('');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  useOpsSettings();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

const settings = (credentialsFile: string, caFile = join(dir, 'ca.crt')) =>
  useOpsSettings({ origins: [url], caFile, credentialsFile });

test("with the operators' credentials the query goes through (nothing matched: exit 4)", async () => {
  settings(join(dir, 'ops.json'));
  const c = capture({ LOGS_URL: url });
  expect(await runCli(['errors'], c.io)).toBe(EXIT.empty);
  expect(seen.map((s) => s.path)).toEqual(['/select/logsql/query']);
  expect(seen[0]!.authorization).toBe(basicAuthorization(CREDS));
});

test('wrong credentials: the store refused the query (exit 7), the password never printed', async () => {
  settings(join(dir, 'wrong.json'));
  const c = capture({ LOGS_URL: url });
  expect(await runCli(['errors', '--json'], c.io)).toBe(EXIT.storeRefused);
  expect(c.err()).toMatch(/refused the query \(HTTP 401\)/);
  expect(c.out() + c.err()).not.toContain('not-the-password-1');
});

test('no credentials file: says how to get one (exit 1), and nothing is sent', async () => {
  settings(join(dir, 'absent.json'));
  const c = capture({ LOGS_URL: url });
  expect(await runCli(['errors'], c.io)).toBe(EXIT.failed);
  expect(c.err()).toMatch(
    /no operations credentials at .*absent\.json \(ENOENT\): `npm run lab` makes them/,
  );
  expect(seen).toEqual([]);
});

test('another origin gets neither the CA nor the credentials: the certificate is refused (exit 6)', async () => {
  settings(join(dir, 'ops.json'));
  const c = capture({ LOGS_URL: url.replace('127.0.0.1', 'localhost') });
  expect(await runCli(['errors'], c.io)).toBe(EXIT.storeDown);
  expect(c.err()).toMatch(
    /not answering \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
  );
  expect(seen).toEqual([]);
});

test('a malformed credentials file or a missing lab CA: a JSON error under --json (exit 1), no value printed, nothing sent', async () => {
  const bad = join(dir, 'short.json');
  writeFileSync(bad, JSON.stringify({ username: 'ops', password: 'short-secret' }));
  settings(bad);
  const c = capture({ LOGS_URL: url });
  expect(await runCli(['errors', '--json'], c.io)).toBe(EXIT.failed);
  expect(JSON.parse(c.out())).toEqual({
    error: { code: 'no_credentials', message: expect.stringMatching(/"password" must be/) },
  });
  expect(c.out() + c.err()).not.toContain('short-secret');

  settings(join(dir, 'ops.json'), join(dir, 'absent-ca.crt'));
  const d = capture({ LOGS_URL: url });
  expect(await runCli(['request', 'abc', '--json'], d.io)).toBe(EXIT.failed);
  expect(JSON.parse(d.out()).error.message).toMatch(/no lab CA at .*absent-ca\.crt \(ENOENT\)/);
  expect(d.out() + d.err()).not.toContain(CREDS.password);
  expect(seen).toEqual([]);
});
