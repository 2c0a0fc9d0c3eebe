import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { imageRef } from '../../../../tools/images/src';
import { createLogger } from '../logger';
import { startApi, type RunningApi } from '../server';
import { Client } from '../test-support/client';
import { freePort } from '../test-support/containers';
import { ORIGIN, startStack, uniqueEmail, type TestStack } from '../test-support/stack';

// The login limits count per client address. The address comes from X-Forwarded-For, which a
// client can send itself: these tests put a real HAProxy (the project's image) in front of the
// real api, with the X-Forwarded-For lines of the lab's edge.cfg and the TRUST_PROXY of the lab's
// stack.yml, and vary the header on every attempt. The "appending edge" with the old default
// trust shows the hole the lab had: there the limit is sidestepped, so these tests can fail.
const LAB = join(__dirname, '..', '..', '..', '..', 'infra', 'lab');
const IP_LIMIT = 5;
const ACCOUNT_LIMIT = 3;

/** The lines of a section of edge.cfg (e.g. "defaults", "frontend https") that touch the header. */
function xffLines(section: string): string[] {
  const cfg = readFileSync(join(LAB, 'haproxy', 'edge.cfg'), 'utf8');
  const body = cfg.split(new RegExp(`^${section}\\b.*$`, 'm'))[1]?.split(/^\S/m)[0] ?? '';
  return body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('#') && /forwardfor|x-forwarded-for/i.test(l));
}

function labTrustProxy(): string {
  const m = /^\s+TRUST_PROXY:\s*'?([^'\n]+)'?\s*$/m.exec(
    readFileSync(join(LAB, 'stack.yml'), 'utf8'),
  );
  if (!m) throw new Error('infra/lab/stack.yml sets no TRUST_PROXY for the api');
  return m[1]!;
}

const EDGES = {
  lab: [...xffLines('defaults'), ...xffLines('frontend https')],
  appending: ['option forwardfor'],
};
const TRUST = { lab: labTrustProxy(), oldDefault: 'loopback, linklocal, uniquelocal' };
type Edge = keyof typeof EDGES;
type Trust = keyof typeof TRUST;
const SCENARIOS: [Edge, Trust][] = [
  ['lab', 'lab'],
  ['lab', 'oldDefault'],
  ['appending', 'lab'],
  ['appending', 'oldDefault'],
];

let stack: TestStack;
let haproxy: StartedTestContainer;
const apis: RunningApi[] = [];
const edgeUrl = new Map<string, string>();

beforeAll(async () => {
  // No Redis: each api instance keeps its own counters, so the scenarios do not share them.
  stack = await startStack({
    redis: false,
    env: {
      LOGIN_IP_LIMIT: String(IP_LIMIT),
      LOGIN_ACCOUNT_LIMIT: String(ACCOUNT_LIMIT),
      LOGIN_ACCOUNT_WINDOW_SECONDS: '600',
    },
  });
  const sections: string[] = [];
  for (const [edge, trust] of SCENARIOS) {
    const trustProxy = /^\d+$/.test(TRUST[trust]) ? Number(TRUST[trust]) : TRUST[trust];
    const api = await startApi({ ...stack.config, trustProxy }, createLogger('silent'));
    apis.push(api);
    const port = await freePort();
    edgeUrl.set(`${edge}/${trust}`, `http://127.0.0.1:${port}`);
    sections.push(
      `frontend fe_${edge}_${trust}`,
      `    bind 127.0.0.1:${port}`,
      ...EDGES[edge].filter((l) => !l.startsWith('option')).map((l) => `    ${l}`),
      ...EDGES[edge].filter((l) => l.startsWith('option')).map((l) => `    ${l}`),
      `    default_backend be_${edge}_${trust}`,
      `backend be_${edge}_${trust}`,
      `    server api ${new URL(api.url).host}`,
    );
  }
  const cfg = [
    'global',
    '    maxconn 200',
    'defaults',
    '    mode http',
    '    timeout connect 3s',
    '    timeout client 10s',
    '    timeout server 10s',
    ...sections,
    '',
  ].join('\n');
  // Host networking: the proxy reaches the api on 127.0.0.1 and is reached there, like the lab's
  // edge is the only peer the api's replicas see.
  haproxy = await new GenericContainer(imageRef('haproxy'))
    .withNetworkMode('host')
    .withCopyContentToContainer([
      { content: cfg, target: '/usr/local/etc/haproxy/haproxy.cfg', mode: 0o444 },
    ])
    .start();
  for (const url of edgeUrl.values()) {
    for (let i = 0; ; i++) {
      if ((await fetch(`${url}/livez`).catch(() => null))?.ok) break;
      if (i > 100) throw new Error(`HAProxy did not answer on ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
afterAll(async () => {
  await haproxy?.stop();
  await Promise.all(apis.map((a) => a.stop()));
  await stack?.stop();
});

let n = 0;
const randomAddress = () => `203.0.113.${++n % 250}`;

/** Login attempts for unknown accounts, each claiming another client address. */
async function attempts(url: string, count: number, email?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await new Client(url, ORIGIN).post(
      '/api/auth/login',
      { email: email ?? uniqueEmail('xff'), password: 'not the password at all' },
      { headers: { 'x-forwarded-for': randomAddress() } },
    );
    out.push(r.status);
  }
  return out;
}

test('the lab edge sets X-Forwarded-For itself, and the lab api trusts exactly one hop', () => {
  expect(EDGES.lab).toEqual(['http-request set-header X-Forwarded-For %[src]']);
  expect(xffLines('defaults')).toEqual([]); // no `option forwardfor` appending to the client's
  expect(TRUST.lab).toBe('1');
});

test('through the lab edge, varying X-Forwarded-For does not escape the per-address limit', async () => {
  const statuses = await attempts(edgeUrl.get('lab/lab')!, IP_LIMIT + 1);
  expect(statuses).toEqual([...Array(IP_LIMIT).fill(401), 429]);
});

test('through the lab edge, the per-account lockout holds whatever address is claimed', async () => {
  // A new api instance's counters: the per-address limit is not reached by these 4 attempts.
  const email = uniqueEmail('lockout');
  const statuses = await attempts(edgeUrl.get('lab/oldDefault')!, ACCOUNT_LIMIT + 1, email);
  expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(401), 429]);
});

test('each half alone holds: the setting edge, or the api trusting one hop', async () => {
  // lab/oldDefault has had 4 attempts above: one more reaches the limit of 5, the next is refused.
  expect(await attempts(edgeUrl.get('lab/oldDefault')!, 2)).toEqual([401, 429]);
  expect(await attempts(edgeUrl.get('appending/lab')!, IP_LIMIT + 1)).toEqual([
    ...Array(IP_LIMIT).fill(401),
    429,
  ]);
});

test('the old lab (appending edge, every private peer trusted) let a client pick its address', async () => {
  const statuses = await attempts(edgeUrl.get('appending/oldDefault')!, IP_LIMIT * 2);
  expect(statuses).toEqual(Array(IP_LIMIT * 2).fill(401));
});
