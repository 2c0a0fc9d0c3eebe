/**
 * The lab under real failures: these tests run against the deployed stack (`npm run lab`), kill
 * and replace real containers, and put bounded load through the TLS edge while they do.
 */
import { execFileSync } from 'node:child_process';
import { request, labAgent } from './https-client';
import { containers, serviceImage, svc, waitFor } from './lab-helpers';
import { brokenRelease, killApiReplica, rollingUpdate, serviceSettled } from './scenarios';
import { STACK, STORE_URL } from './paths';
import { docker, run } from './sh';

const agent = labAgent(8);

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
  afterAll(async () => {
    // Whatever happened, leave the api on the lab's own image with all replicas healthy.
    await waitFor('api settled', () => serviceSettled('api'), 180_000, 2000);
  });

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
  /** Services on the internal data network and not on the edge network: the data tier. */
  async function dataTier() {
    const names = (await docker(['stack', 'services', STACK, '--format', '{{.Name}}']))
      .split('\n')
      .filter(Boolean);
    const out: { name: string; ips: string[] }[] = [];
    for (const n of names) {
      const nets = await docker([
        'service',
        'inspect',
        n,
        '--format',
        '{{range .Spec.TaskTemplate.Networks}}{{.Target}} {{end}}',
      ]);
      const netNames = await Promise.all(
        nets
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(async (id) =>
            (await docker(['network', 'inspect', id, '--format', '{{.Name}}'])).trim(),
          ),
      );
      if (!netNames.includes(`${STACK}_data`) || netNames.includes(`${STACK}_edge`)) continue;
      const ips: string[] = [];
      for (const c of await containers(n.replace(`${STACK}_`, ''))) {
        ips.push(
          ...(
            await docker([
              'inspect',
              c.id,
              '--format',
              '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}',
            ])
          )
            .trim()
            .split(/\s+/)
            .filter(Boolean),
        );
      }
      out.push({ name: n, ips });
    }
    return out;
  }

  const PORTS = [5432, 6379, 26379, 8008, 2379];
  const probeScript = (hosts: string[]) => `
    const net = require('net');
    const targets = ${JSON.stringify(hosts)}.flatMap((h) => ${JSON.stringify(PORTS)}.map((p) => [h, p]));
    Promise.all(targets.map(([h, p]) => new Promise((res) => {
      const s = net.connect({ host: h, port: p, timeout: 1500 });
      s.on('connect', () => { s.destroy(); res(h + ':' + p + ' OPEN'); });
      s.on('timeout', () => { s.destroy(); res(null); });
      s.on('error', () => res(null));
    }))).then((r) => { console.log(JSON.stringify(r.filter(Boolean))); });`;

  test('the data tier is not reachable from the host', async () => {
    const tier = await dataTier();
    expect(tier.length).toBeGreaterThanOrEqual(2);
    const ips = tier.flatMap((t) => t.ips);
    expect(ips.length).toBeGreaterThan(0);
    const open = execFileSync(process.execPath, ['-e', probeScript(['127.0.0.1', ...ips])], {
      encoding: 'utf8',
    });
    expect(JSON.parse(open)).toEqual([]);
  });

  test('the data tier is not reachable from the edge network, by name or by address', async () => {
    const tier = await dataTier();
    const names = tier.flatMap((t) => [
      t.name.replace(`${STACK}_`, ''),
      `tasks.${t.name.replace(`${STACK}_`, '')}`,
    ]);
    const targets = [...names, ...tier.flatMap((t) => t.ips)];
    const apiImage = await serviceImage('api');
    const r = await run('docker', [
      'run',
      '--rm',
      '--network',
      `${STACK}_edge`,
      '--entrypoint',
      'node',
      apiImage,
      '-e',
      probeScript(targets),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
    // The same probe on the data network does reach it: the test can tell open from closed.
    const inside = await run('docker', [
      'run',
      '--rm',
      '--network',
      `${STACK}_data`,
      '--entrypoint',
      'node',
      apiImage,
      '-e',
      probeScript(tier.flatMap((t) => t.ips)),
    ]);
    expect(JSON.parse(inside.stdout.trim().split('\n').pop()!).length).toBeGreaterThan(0);
  });
});

afterAll(() => agent.destroy());
