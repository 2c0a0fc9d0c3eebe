/**
 * The lab under real failures: these tests run against the deployed stack (`npm run lab`), kill
 * and replace real containers, and put bounded load through the TLS edge while they do.
 */
import { execFileSync } from 'node:child_process';
import { request, labAgent } from './https-client';
import { startLoad } from './load';
import { containers, deriveImage, serviceImage, svc, updateState, waitFor } from './lab-helpers';
import { STACK, STORE_URL } from './paths';
import { docker, run } from './sh';

const agent = labAgent(64);

/** Bounded GET load over the catalogue through the edge: at most 20k requests or the time cap. */
function catalogueLoad(maxDurationMs: number) {
  return startLoad({
    concurrency: 8,
    maxRequests: 20_000,
    maxDurationMs,
    request: async (i) =>
      (await request(`${STORE_URL}/api/products?page=${(i % 50) + 1}&pageSize=12`, { agent }))
        .status,
  });
}

async function serviceSettled(name: string, image?: string) {
  const cs = await containers(name);
  const desired = Number(
    (
      await docker([
        'service',
        'inspect',
        svc(name),
        '--format',
        '{{.Spec.Mode.Replicated.Replicas}}',
      ])
    ).trim(),
  );
  return cs.length === desired && cs.every((c) => c.healthy && (!image || c.image === image));
}

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
    // Whatever happened, leave the api on the lab's own image with 3 healthy replicas.
    await waitFor('api settled', () => serviceSettled('api'), 180_000, 2000);
  });

  test('killing an api container under load: Swarm replaces it and no request fails', async () => {
    const before = await containers('api');
    expect(before.length).toBe(3);
    const load = catalogueLoad(45_000);
    await new Promise((r) => setTimeout(r, 3000));
    await docker(['kill', before[0]!.id]);
    const recoveredMs = await waitFor(
      'a replacement api replica',
      async () => {
        const now = await containers('api');
        return (
          now.length === 3 &&
          now.every((c) => c.healthy) &&
          !now.some((c) => c.id === before[0]!.id)
        );
      },
      60_000,
    );
    const stats = await load.stop();
    console.log(
      `self-healing: replica replaced and healthy in ${recoveredMs} ms; ${stats.ok}/${stats.sent} requests ok`,
    );
    expect(stats.sent).toBeGreaterThan(100);
    expect(stats.failures).toEqual([]);
  });

  test('a rolling update to a new api image under load drops no request', async () => {
    const original = await serviceImage('api');
    const next = await deriveImage(
      original,
      `${original.split(':')[0]}:rolling-${Date.now().toString(36)}`,
      ['LABEL org.dhakacart.release="rolling-update-test"'],
    );
    const load = catalogueLoad(180_000);
    const t0 = Date.now();
    await docker(['service', 'update', '--detach', '--image', next, svc('api')]);
    await waitFor(
      'update completed',
      async () => (await updateState('api')) === 'completed',
      170_000,
      2000,
    );
    await waitFor('all replicas on the new image', () => serviceSettled('api', next), 60_000);
    const stats = await load.stop();
    console.log(`rolling update: ${Date.now() - t0} ms; ${stats.ok}/${stats.sent} requests ok`);
    expect((await containers('api')).every((c) => c.image === next)).toBe(true);
    expect(stats.failures).toEqual([]);
    // Back to the lab's image, the same zero-downtime way.
    await docker(['service', 'update', '--detach', '--image', original, svc('api')]);
    await waitFor(
      'restored',
      async () => (await updateState('api')) === 'completed',
      170_000,
      2000,
    );
  });

  test('a broken api version is rolled back automatically while the store keeps serving', async () => {
    const original = await serviceImage('api');
    const broken = await deriveImage(
      original,
      `${original.split(':')[0]}:broken-${Date.now().toString(36)}`,
      [
        // Starts, but never passes its healthcheck: the update must not go through.
        'HEALTHCHECK --interval=2s --timeout=2s --start-period=1s --retries=2 CMD ["false"]',
      ],
    );
    const load = catalogueLoad(240_000);
    const t0 = Date.now();
    await docker(['service', 'update', '--detach', '--image', broken, svc('api')]);
    const rollbackMs = await waitFor(
      'automatic rollback',
      async () => (await updateState('api')) === 'rollback_completed',
      230_000,
      1000,
    );
    const stats = await load.stop();
    console.log(
      `automatic rollback completed ${rollbackMs} ms after the update started; ${stats.ok}/${stats.sent} ok`,
    );
    expect(await serviceImage('api')).toBe(original);
    expect(Date.now() - t0).toBeLessThan(240_000);
    expect(stats.failures).toEqual([]);
    await waitFor(
      'api healthy on the original image',
      () => serviceSettled('api', original),
      120_000,
      2000,
    );
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
