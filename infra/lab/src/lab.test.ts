/**
 * The lab under real failures: these tests run against the deployed stack (`npm run lab`), kill
 * and replace real containers, and put bounded load through the TLS edge while they do.
 */
import { execFileSync } from 'node:child_process';
import { request, labAgent } from './https-client';
import { containers, serviceImage, svc, waitFor } from './lab-helpers';
import {
  brokenRelease,
  killApiReplica,
  restoreApiImage,
  rollingUpdate,
  serviceSettled,
} from './scenarios';
import { STACK, STORE_URL } from './paths';
import { docker, run } from './sh';

const agent = labAgent(8);

// Start healthy: every api replica up and the store answering through the edge. A test that ran
// before may have just given the api its replicas back.
beforeAll(async () => {
  await waitFor('api settled', () => serviceSettled('api'), 180_000, 2000);
  await waitFor(
    'the edge to serve /api',
    async () => (await request(`${STORE_URL}/api/categories`, { agent })).status === 200,
    60_000,
  );
}, 300_000);

describe('the edge', () => {
  test('serves the store over TLS with the lab CA, with HSTS, and routes /api to the API', async () => {
    const home = await request(`${STORE_URL}/`, { agent });
    expect(home.status).toBe(200);
    expect(home.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(home.body).toMatch(/<div id="root">/);
    const api = await request(`${STORE_URL}/api/categories`, { agent });
    expect(api.status).toBe(200);
    expect(api.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(10);
  });

  test('plain HTTP redirects to HTTPS', async () => {
    const r = await request('http://localhost:8080/api/categories?x=1');
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('https://localhost:8443/api/categories?x=1');
  });

  test('TLS below 1.2 is refused', async () => {
    const r = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '--tlsv1.1',
      '--tls-max',
      '1.1',
      '--cacert',
      `${process.cwd()}/.lab/ca/ca.crt`,
      `${STORE_URL}/`,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/protocol version|alert/i);
  });

  test('only the edge publishes ports', async () => {
    const names = (await docker(['stack', 'services', STACK, '--format', '{{.Name}}']))
      .split('\n')
      .filter(Boolean);
    for (const n of names) {
      const ports = (
        await docker(['service', 'inspect', n, '--format', '{{json .Endpoint.Ports}}'])
      ).trim();
      if (n === svc('edge')) expect(ports).toMatch(/"PublishedPort":8443/);
      else expect(['null', '[]']).toContain(ports);
    }
  });
});

describe('failures survived automatically', () => {
  let labImage = '';
  beforeAll(async () => {
    labImage = await serviceImage('api');
  });

  afterAll(async () => {
    // Whatever happened, leave the api on the lab's own image with all replicas healthy.
    await restoreApiImage(labImage);
  }, 360_000);

  test('killing an api container under load: Swarm replaces it and no request fails', async () => {
    const r = await killApiReplica();
    console.log(
      `self-healing: replacement healthy in ${r.ms} ms; ${r.load.ok}/${r.load.sent} requests ok`,
    );
    expect(r.load.sent).toBeGreaterThan(100);
    expect(r.load.failures).toEqual([]);
    expect((await containers('api')).some((c) => c.id === r.killed)).toBe(false);
  });

  test('a rolling update to a new api image under load drops no request', async () => {
    const r = await rollingUpdate();
    console.log(`rolling update: ${r.ms} ms; ${r.load.ok}/${r.load.sent} requests ok`);
    expect(r.image).not.toBe('mixed');
    expect(r.load.sent).toBeGreaterThan(100);
    expect(r.load.failures).toEqual([]);
  });

  test('a broken api version is rolled back automatically while the store keeps serving', async () => {
    const r = await brokenRelease();
    console.log(
      `automatic rollback: ${r.ms} ms after the update started; ${r.load.ok}/${r.load.sent} ok`,
    );
    expect(r.imageAfter).toBe(r.original);
    expect(r.load.failures).toEqual([]);
  });
});

describe('network segmentation', () => {
  // No traffic is ever sent to an overlay address from the host or from a network that has a
  // route out: proofs use loopback, DNS, Docker's own view, and probes inside internal networks.
  const PORTS = [5432, 6379, 26379, 8008, 2379];

  /** Services on the internal data network and not on the edge network: the data tier. */
  async function dataTier() {
    const names = (await docker(['stack', 'services', STACK, '--format', '{{.Name}}']))
      .split('\n')
      .filter(Boolean);
    const tier: { service: string; short: string; containers: string[] }[] = [];
    for (const n of names) {
      const ids = (
        await docker([
          'service',
          'inspect',
          n,
          '--format',
          '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}',
        ])
      )
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      const nets = await Promise.all(
        ids.map(async (id) =>
          (await docker(['network', 'inspect', id, '--format', '{{.Name}}'])).trim(),
        ),
      );
      if (!nets.includes(`${STACK}_data`) || nets.includes(`${STACK}_edge`)) continue;
      const short = n.replace(`${STACK}_`, '');
      tier.push({ service: n, short, containers: (await containers(short)).map((c) => c.id) });
    }
    return tier;
  }

  /** Runs a probe (DNS look-ups, then TCP connects to what resolved) in a container on one network. */
  async function probeFrom(
    network: string,
    names: string[],
  ): Promise<{ resolved: string[]; open: string[] }> {
    const script = `
      const dns = require('dns').promises, net = require('net');
      (async () => {
        const resolved = [], open = [];
        for (const n of ${JSON.stringify(names)}) {
          try { await dns.lookup(n); resolved.push(n); } catch {}
        }
        await Promise.all(resolved.flatMap((h) => ${JSON.stringify(PORTS)}.map((p) => new Promise((res) => {
          const s = net.connect({ host: h, port: p, timeout: 1500 });
          s.on('connect', () => { open.push(h + ':' + p); s.destroy(); res(); });
          s.on('timeout', () => { s.destroy(); res(); });
          s.on('error', () => res());
        }))));
        console.log(JSON.stringify({ resolved, open }));
      })();`;
    const r = await run('docker', [
      'run',
      '--rm',
      '--network',
      network,
      '--entrypoint',
      'node',
      await serviceImage('api'),
      '-e',
      script,
    ]);
    if (r.code !== 0) throw new Error(`probe failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  }

  test('the data tier publishes nothing, sits only on internal networks, and nothing answers on loopback', async () => {
    const tier = await dataTier();
    expect(tier.map((t) => t.short)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/pg|postgres/),
        expect.stringMatching(/redis/),
      ]),
    );
    for (const t of tier) {
      expect(['null', '[]']).toContain(
        (
          await docker(['service', 'inspect', t.service, '--format', '{{json .Endpoint.Ports}}'])
        ).trim(),
      );
      for (const id of t.containers) {
        const nets = JSON.parse(
          await docker(['inspect', id, '--format', '{{json .NetworkSettings.Networks}}']),
        ) as Record<string, unknown>;
        // docker_gwbridge would give the host a route in; only internal overlays are allowed.
        expect(Object.keys(nets)).not.toContain('docker_gwbridge');
        for (const net of Object.keys(nets)) {
          expect(
            (await docker(['network', 'inspect', net, '--format', '{{.Internal}}'])).trim(),
          ).toBe('true');
        }
      }
    }
    const open = execFileSync(
      process.execPath,
      [
        '-e',
        `const net=require('net');Promise.all(${JSON.stringify(PORTS)}.map((p)=>new Promise((res)=>{const s=net.connect({host:'127.0.0.1',port:p,timeout:1000});s.on('connect',()=>{s.destroy();res(p)});s.on('error',()=>res(null));s.on('timeout',()=>{s.destroy();res(null)})}))).then((r)=>console.log(JSON.stringify(r.filter(Boolean))))`,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(open)).toEqual([]);
  });

  test('from the edge network the data tier does not even resolve; from the data network it does', async () => {
    const tier = await dataTier();
    const names = tier.flatMap((t) => [t.short, `tasks.${t.short}`]);
    const fromEdge = await probeFrom(`${STACK}_edge`, names);
    expect(fromEdge).toEqual({ resolved: [], open: [] });
    // The same probe inside the (internal) data network reaches it: the test can tell the difference.
    const fromData = await probeFrom(`${STACK}_data`, names);
    expect(fromData.resolved.length).toBeGreaterThan(0);
    expect(fromData.open.length).toBeGreaterThan(0);
  });
});

afterAll(() => agent.destroy());
