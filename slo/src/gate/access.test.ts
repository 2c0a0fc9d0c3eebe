import * as fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../cli';
import type { GateDecision } from './decide';
import { selfSignedCert } from '../testing/self-signed';

// The gate against a Prometheus behind TLS and basic auth, as the lab's is behind its edge
// (docs/adr/0208-ops-endpoints-behind-the-edge.md): a local HTTPS server with a certificate of
// its own that asks for the credentials and answers the gate's five queries. What is under test
// is what the gate sends and trusts; the real edge and Prometheus: infra/lab's monitoring.lab.test.ts.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-gate-access-'));
const CA = path.join(dir, 'ca.crt');
const CREDS = path.join(dir, 'ops.json');
const AUTH = `Basic ${Buffer.from('ops:gate-test-password').toString('base64')}`;
let server: https.Server;
let url: string;
const seen: (string | undefined)[] = [];

/** A healthy SLO: objective, full budget, no errors, no alert. */
function answer(query: string) {
  const metric = {
    sloth_id: 'dhakacart-browse-availability',
    sloth_service: 'dhakacart',
    sloth_slo: 'browse',
  };
  const value = query.startsWith('slo:objective')
    ? '0.999'
    : query.startsWith('slo:period_error_budget_remaining')
      ? '1'
      : '0';
  const result = query.startsWith('ALERTS') ? [] : [{ metric, value: [0, value] }];
  return { status: 'success', data: { resultType: 'vector', result } };
}

beforeAll(async () => {
  selfSignedCert(path.join(dir, 'key.pem'), CA);
  fs.writeFileSync(CREDS, JSON.stringify({ username: 'ops', password: 'gate-test-password' }));
  server = https.createServer(
    { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(CA) },
    (req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== AUTH) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        return res.end();
      }
      const q = new URL(req.url ?? '/', 'https://x').searchParams.get('query') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(q)));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

async function gate(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    return {
      code: await main(['gate', '--json', ...args]),
      out: out.join('\n'),
      err: err.join('\n'),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const decision = (out: string) => JSON.parse(out) as GateDecision;

test('with --ca-file and --credentials the gate reads the protected Prometheus and decides', async () => {
  const r = await gate(['--prometheus', url, '--ca-file', CA, '--credentials', CREDS]);
  expect(r.code).toBe(0);
  expect(decision(r.out).verdict).toBe('pass');
  expect(decision(r.out).slos.map((s) => s.id)).toEqual(['dhakacart-browse-availability']);
  expect(seen).toHaveLength(5);
  expect(seen.every((a) => a === AUTH)).toBe(true);
});

test('without the credentials it is undecidable (exit 2), saying Prometheus answered 401', async () => {
  const r = await gate(['--prometheus', url, '--ca-file', CA]);
  expect(r.code).toBe(2);
  expect(decision(r.out).reasons[0]).toMatch(/^Prometheus unreachable: .*HTTP 401/);
  expect(seen.every((a) => a === undefined)).toBe(true);
});

test('without the CA the certificate is not trusted and nothing is sent in the clear', async () => {
  const r = await gate(['--prometheus', url, '--credentials', CREDS]);
  expect(r.code).toBe(2);
  expect(decision(r.out).reasons[0]).toMatch(/^Prometheus unreachable: .*certificate/i);
  expect(seen).toEqual([]);
});

test('bad access flags are usage errors (64) that never echo a credential', async () => {
  const http = await gate(['--prometheus', 'http://127.0.0.1:9', '--credentials', CREDS]);
  expect(http.code).toBe(64);
  expect(http.err).toContain('--credentials needs an https --prometheus URL');
  const missing = await gate(['--prometheus', url, '--ca-file', path.join(dir, 'absent.crt')]);
  expect(missing.code).toBe(64);
  expect(missing.err).toMatch(/--ca-file: cannot read .*absent\.crt \(ENOENT\)/);
  const badFile = path.join(dir, 'bad.json');
  fs.writeFileSync(badFile, JSON.stringify({ user: 'ops', password: 'do-not-echo-me' }));
  const bad = await gate(['--prometheus', url, '--ca-file', CA, '--credentials', badFile]);
  expect(bad.code).toBe(64);
  expect(bad.err).toContain('is not {"username": ..., "password": ...}');
  expect(bad.err).not.toContain('do-not-echo-me');
  expect(seen).toEqual([]);
});
