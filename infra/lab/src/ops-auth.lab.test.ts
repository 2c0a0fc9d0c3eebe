/**
 * The operators' endpoints of the RUNNING lab (`npm run lab`): Prometheus, Alertmanager, the
 * Pushgateway and the log store answer only through the edge, over TLS and with the credentials
 * `lab status` names, and only on this machine's loopback
 * (docs/adr/0208-ops-endpoints-behind-the-edge.md).
 */
import { readFileSync, statSync } from 'node:fs';
import {
  createSilence,
  expireSilence,
  httpRequest,
  opsRequest,
  readOpsCredentials,
  run,
  silences,
  tlsAgent,
} from '@dhakacart/lab-client';
import { OPS_FIREWALL_TAG, OPS_PORTS, ourRules } from './ops-firewall';
import {
  ALERTMANAGER_URL,
  CA_CERT,
  LOGS_INGEST_URL,
  LOGS_URL,
  PROMETHEUS_URL,
  PUSHGATEWAY_URL,
} from './paths';
import { labStatus } from './status';
import { createTestHost, probeFrom, type ProbeTarget, type TestHost } from './test-host';

/** Each endpoint, and a path its backend answers 200 on once the credentials pass. */
const ENDPOINTS: Record<string, { url: string; ready: string }> = {
  prometheus: { url: PROMETHEUS_URL, ready: '/-/ready' },
  alertmanager: { url: ALERTMANAGER_URL, ready: '/-/ready' },
  pushgateway: { url: PUSHGATEWAY_URL, ready: '/-/ready' },
  logs: { url: LOGS_URL, ready: '/health' },
};

const anonymous = tlsAgent(CA_CERT, 8);
afterAll(() => anonymous.destroy());

test("`lab status --json` names the operators' credentials: a 0600 file with a username and a password", async () => {
  const s = await labStatus({ withStats: false });
  expect(s).toMatchObject({
    opsCredentials: expect.stringMatching(/\.lab\/ops\.json$/),
    prometheusUrl: PROMETHEUS_URL,
    alertmanagerUrl: ALERTMANAGER_URL,
    pushgatewayUrl: PUSHGATEWAY_URL,
    logsUrl: LOGS_URL,
  });
  expect(statSync(s.opsCredentials).mode & 0o777).toBe(0o600);
  expect(Object.keys(JSON.parse(readFileSync(s.opsCredentials, 'utf8')) as object).sort()).toEqual([
    'password',
    'username',
  ]);
  expect(readOpsCredentials(s.opsCredentials).username).toBe('ops');
});

test('every operator endpoint answers 401 with a Basic challenge without credentials, and 200 with them', async () => {
  for (const [name, e] of Object.entries(ENDPOINTS)) {
    const none = await httpRequest(`${e.url}${e.ready}`, { agent: anonymous });
    expect([name, none.status, none.headers['www-authenticate']]).toEqual([
      name,
      401,
      'Basic realm="dhakacart-ops"',
    ]);
    const ok = await opsRequest(`${e.url}${e.ready}`);
    expect([name, ok.status]).toEqual([name, 200]);
  }
  // The log store's UI, the one a person opens.
  expect((await opsRequest(`${LOGS_URL}/select/vmui/`)).status).toBe(200);
});

test('a silence cannot be created without credentials, and can with them', async () => {
  const comment = `ops-auth lab test ${Date.now().toString(36)}`;
  const body = {
    matchers: [{ name: 'alertname', value: 'OpsAuthLabTest', isRegex: false, isEqual: true }],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 60_000).toISOString(),
    createdBy: 'ops-auth.lab.test.ts',
    comment,
  };
  const refused = await httpRequest(`${ALERTMANAGER_URL}/api/v2/silences`, {
    method: 'POST',
    agent: anonymous,
    body,
  });
  expect(refused.status).toBe(401);
  expect((await silences()).filter((s) => s.comment === comment)).toEqual([]);

  const id = await createSilence({
    matchers: body.matchers,
    durationMs: 60_000,
    createdBy: body.createdBy,
    comment,
  });
  try {
    const mine = (await silences()).filter((s) => s.comment === comment);
    expect(mine.map((s) => [s.id, s.status.state])).toEqual([[id, 'active']]);
  } finally {
    await expireSilence(id);
  }
  const after = (await silences()).find((s) => s.id === id);
  expect(after?.status.state).toBe('expired');
});

test('lab up installed the loopback-only rules, once each', async () => {
  const v4 = await ourRules(4, 'DOCKER-USER');
  expect(v4.map((r) => r.comment).sort()).toEqual(
    OPS_PORTS.map((p) => `${OPS_FIREWALL_TAG}:${p}`).sort(),
  );
  const v6 = await ourRules(6, 'INPUT');
  expect(v6.map((r) => r.comment).sort()).toEqual(
    OPS_PORTS.map((p) => `${OPS_FIREWALL_TAG}:${p}`).sort(),
  );
});

describe('from another host on the network (a namespace of this test on a veth pair)', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost();
  });
  afterAll(async () => {
    await host?.remove();
  });

  const caPem = () => readFileSync(CA_CERT, 'utf8');
  const targets = (address: string): ProbeTarget[] => [
    {
      host: address,
      port: 8443,
      https: { path: '/api/categories', servername: 'localhost', caPem: caPem() },
    },
    ...OPS_PORTS.map((port) => ({ host: address, port })),
  ];

  test.each(['IPv4', 'IPv6'])(
    'over %s the operator ports do not answer, while the store does',
    async (family) => {
      const address = family === 'IPv4' ? host.hostV4 : host.hostV6;
      // IPv6 reaches the store only where the engine listens on [::] (docker-proxy).
      const v6Store =
        family === 'IPv4' ||
        /\[::\]:8443\b/.test((await run('ss', ['-Hltn', 'sport = :8443'])).stdout);
      const results = await probeFrom(host, targets(address), 3000);
      const [store, ...ops] = results;
      // No answer: dropped (a time-out), or nothing listening for that family (refused).
      const silent = (r: string | undefined) => (r === 'timeout' || r === 'refused' ? 'silent' : r);
      expect(Object.fromEntries(OPS_PORTS.map((p, i) => [p, silent(ops[i])]))).toEqual(
        Object.fromEntries(OPS_PORTS.map((p) => [p, 'silent'])),
      );
      if (v6Store) expect(store).toBe('http 200');
      // The same ports answer on loopback (the log driver's 9428 included): the drop is the
      // firewall's, not an edge that is down.
      const ingest = await httpRequest(`${LOGS_INGEST_URL}/health`);
      expect(ingest.status).toBe(200);
    },
  );
});
