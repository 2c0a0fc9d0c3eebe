/**
 * The deployed lab (`npm run lab`) as the deployer promises it: the TLS edge, the ports it
 * publishes and the network segmentation of the data tier. (Failures under load are the chaos
 * experiments' business: chaos/.)
 */
import { execFileSync } from 'node:child_process';
import {
  containers,
  docker,
  EdgeClient,
  httpRequest,
  run,
  serviceImage,
  serviceSettled,
  svc,
  waitFor,
} from '@dhakacart/lab-client';
import { STACK, STORE_URL } from './paths';

const store = new EdgeClient({ maxSockets: 8 });

// Start healthy: every api replica up and the store answering through the edge. A test that ran
// before may have just given the api its replicas back.
beforeAll(async () => {
  await waitFor('api settled', () => serviceSettled('api'), 180_000, 2000);
  await waitFor(
    'the edge to serve /api',
    async () => (await store.request('GET', '/api/categories')).status === 200,
    60_000,
  );
}, 300_000);

describe('the edge', () => {
  test('serves the store over TLS with the lab CA, with HSTS, and routes /api to the API', async () => {
    const home = await store.request('GET', '/', { headers: { accept: 'text/html' } });
    expect(home.status).toBe(200);
    expect(home.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(home.text).toMatch(/<div id="root">/);
    const api = await store.request('GET', '/api/categories');
    expect(api.status).toBe(200);
    expect(api.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(10);
  });

  test('plain HTTP redirects to HTTPS', async () => {
    const r = await httpRequest('http://localhost:8080/api/categories?x=1');
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

  test('only the edge publishes ports, and the log store its ingestion port for the engine', async () => {
    const names = (await docker(['stack', 'services', STACK, '--format', '{{.Name}}']))
      .split('\n')
      .filter(Boolean);
    for (const n of names) {
      const ports = (
        await docker(['service', 'inspect', n, '--format', '{{json .Endpoint.Ports}}'])
      ).trim();
      if (n === svc('edge')) expect(ports).toMatch(/"PublishedPort":8443/);
      // dockerd's log driver runs on the host and ships to 127.0.0.1:9428 (stack.logging.yml);
      // the DOCKER-USER rules keep that port to loopback (ops-auth.lab.test.ts proves it).
      else if (n === svc('victoria-logs'))
        expect(JSON.parse(ports)).toEqual([
          { Protocol: 'tcp', TargetPort: 9428, PublishedPort: 9428, PublishMode: 'host' },
        ]);
      else expect(['null', '[]']).toContain(ports);
    }
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

afterAll(() => store.close());
