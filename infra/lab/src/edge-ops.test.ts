import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRef } from '@dhakacart/images';
import {
  basicAuthorization,
  docker,
  httpRequest,
  opsRequest,
  run,
  sleep,
  tlsAgent,
  useOpsSettings,
} from '@dhakacart/lab-client';
import { opsUsersFragment } from './ops-credentials';
import { LAB_ROOT } from './paths';
import { selfSignedEdgePem } from '@dhakacart/lab-client/src/test-support/self-signed';

// The edge's operator frontend as the lab's own HAProxy runs it: edge.cfg and a userlist made by
// `opsUsersFragment`, in a throwaway container published on 127.0.0.1 only, with a throwaway CA.
// Behind it, one stand-in container answers as tasks.prometheus, tasks.pushgateway,
// tasks.alertmanager and tasks.victoria-logs (Docker's embedded DNS, as Swarm's) on their ports,
// and tells which port a request reached and which Authorization header it carried. The same
// against the running lab with the real backends: ops-auth.lab.test.ts.

const EDGE_CFG = join(LAB_ROOT, 'haproxy', 'edge.cfg');
/** Published port -> the backend port behind it. */
const OPS = {
  prometheus: [9090, 9090],
  pushgateway: [9091, 9091],
  alertmanager: [9093, 9093],
  logs: [9429, 9428],
} as const;
const CREDS = { username: 'ops', password: randomBytes(18).toString('base64url') };
const tag = randomBytes(4).toString('hex');
const net = `edge-ops-${tag}`;

/** Answers health checks, keeps every other request, and tells `GET /seen` what it kept. */
const STANDIN = `
const http = require('http'); const seen = [];
for (const port of [9090, 9091, 9093, 9428]) http.createServer((q, s) => {
  if (q.url === '/-/ready' || q.url === '/health') return s.end('ok');
  if (q.url === '/seen') return s.end(JSON.stringify(seen));
  seen.push({ port, method: q.method, url: q.url, authorization: q.headers.authorization ?? null });
  s.setHeader('content-type', 'application/json');
  s.end(JSON.stringify({ port, authorization: q.headers.authorization ?? null }));
}).listen(port);`;

let dir: string;
const containers: string[] = [];
const hostPort: Record<number, number> = {};
const url = (published: number, path = '/') => `https://127.0.0.1:${hostPort[published]}${path}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-ops-'));
  const { crt } = selfSignedEdgePem(dir);
  writeFileSync(join(dir, 'ops_users.cfg'), await opsUsersFragment(CREDS));
  writeFileSync(join(dir, 'ops.json'), JSON.stringify(CREDS), { mode: 0o600 });
  chmodSync(join(dir, 'ops_users.cfg'), 0o644);
  chmodSync(dir, 0o755);
  await docker(['network', 'create', '--label', 'dhakacart.throwaway=edge-ops', net]);
  containers.push(
    (
      await docker([
        'run',
        '-d',
        '--label',
        'dhakacart.throwaway=edge-ops',
        '--network',
        net,
        ...['prometheus', 'pushgateway', 'alertmanager', 'victoria-logs'].flatMap((s) => [
          '--network-alias',
          `tasks.${s}`,
        ]),
        imageRef('node'),
        'node',
        '-e',
        STANDIN,
      ])
    ).trim(),
  );
  const published = [...Object.values(OPS).map(([p]) => p), 8443];
  const edge = (
    await docker([
      'run',
      '-d',
      '--label',
      'dhakacart.throwaway=edge-ops',
      '--network',
      net,
      ...published.flatMap((p) => ['-p', `127.0.0.1::${p}`]),
      '-v',
      `${EDGE_CFG}:/usr/local/etc/haproxy/haproxy.cfg:ro`,
      '-v',
      `${dir}/edge_tls.pem:/run/secrets/edge_tls.pem:ro`,
      '-v',
      `${dir}/ops_users.cfg:/run/secrets/ops_users.cfg:ro`,
      imageRef('haproxy'),
      // As stack.yml's `command`: the userlist is the second configuration file.
      '-f',
      '/run/secrets/ops_users.cfg',
    ])
  ).trim();
  containers.push(edge);
  for (const p of published) {
    const out = await docker(['port', edge, `${p}/tcp`]);
    hostPort[p] = Number(/:(\d+)\s*$/m.exec(out.split('\n')[0]!)![1]);
  }
  useOpsSettings({
    origins: Object.values(OPS).map(([p]) => `https://127.0.0.1:${hostPort[p]}`),
    caFile: crt,
    credentialsFile: join(dir, 'ops.json'),
  });
  // Until the edge has resolved every stand-in and seen it healthy (downinter 2s, rise 2).
  const deadline = Date.now() + 45_000;
  for (;;) {
    const ready = await Promise.all(
      Object.values(OPS).map(([p]) =>
        opsRequest(url(p, '/probe'), { timeoutMs: 2000 }).then(
          (r) => r.status === 200,
          () => false,
        ),
      ),
    );
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline)
      throw new Error(
        `the edge never reached the stand-ins: ${(await run('docker', ['logs', edge])).stderr}`,
      );
    await sleep(500);
  }
}, 90_000);

afterAll(async () => {
  useOpsSettings();
  for (const c of containers) await run('docker', ['rm', '-f', '-v', c]);
  await run('docker', ['network', 'rm', net]);
  rmSync(dir, { recursive: true, force: true });
});

const anonymous = () => tlsAgent(join(dir, 'crt.pem'), 4);

/** What the stand-ins received since they started (health checks aside). */
const seen = async () =>
  (await opsRequest(url(9090, '/seen'))).json<{ port: number; method: string; url: string }[]>();

test('every operator port answers 401 with a Basic challenge without credentials, and with wrong ones', async () => {
  const before = (await seen()).length;
  const agent = anonymous();
  try {
    for (const [name, [port]] of Object.entries(OPS)) {
      const none = await httpRequest(url(port, '/nothing-without-credentials'), { agent });
      expect([name, none.status, none.headers['www-authenticate']]).toEqual([
        name,
        401,
        'Basic realm="dhakacart-ops"',
      ]);
      const wrong = await httpRequest(url(port, '/nothing-with-a-wrong-password'), {
        agent,
        headers: {
          authorization: basicAuthorization({ ...CREDS, password: `${CREDS.password}x` }),
        },
      });
      expect([name, wrong.status]).toEqual([name, 401]);
    }
  } finally {
    agent.destroy();
  }
  // Nothing of it reached a backend.
  expect((await seen()).slice(before)).toEqual([]);
});

test('a silence is refused without credentials: the request never reaches Alertmanager', async () => {
  const agent = anonymous();
  try {
    const r = await httpRequest(url(9093, '/api/v2/silences'), {
      agent,
      method: 'POST',
      body: { matchers: [{ name: 'alertname', value: 'x', isRegex: false }], comment: 'x' },
    });
    expect(r.status).toBe(401);
  } finally {
    agent.destroy();
  }
  expect((await seen()).filter((s) => s.url === '/api/v2/silences')).toEqual([]);
});

test('with the credentials each port reaches its own backend, which never sees them', async () => {
  for (const [name, [published, backend]] of Object.entries(OPS)) {
    const r = await opsRequest(url(published, `/api/${name}`));
    expect([name, r.status, r.body]).toEqual([name, 200, { port: backend, authorization: null }]);
  }
});

test('the operator ports speak TLS only; the store port asks for no credentials', async () => {
  await expect(
    httpRequest(`http://127.0.0.1:${hostPort[9090]}/`, { timeoutMs: 3000 }),
  ).rejects.toThrow();
  const agent = anonymous();
  try {
    // No web replica here: the edge's own 503, not a 401.
    const store = await httpRequest(url(8443), { agent });
    expect(store.status).toBe(503);
    expect(store.headers['www-authenticate']).toBeUndefined();
  } finally {
    agent.destroy();
  }
});
