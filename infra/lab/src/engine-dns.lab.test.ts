import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsReport, probeUnknownName, SLOW_MISS_MS, userlandProxyWarning } from './engine-dns';
import { serviceImage } from '@dhakacart/lab-client';
import { CA_CERT, REPO_ROOT } from './paths';
import { run } from '@dhakacart/lab-client';

/** Runs scripts/lib.sh's ensure_docker_daemon_json against `file`, not /etc/docker/daemon.json. */
const ensureDnsOpts = (file: string) =>
  run('bash', [
    '-c',
    'source "$1/scripts/lib.sh"; DOCKER_DAEMON_JSON="$2"; ensure_docker_daemon_json',
    '_',
    REPO_ROOT,
    file,
  ]);

describe('the engine configuration the README commands write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daemon-json-'));

  test('adds a default DNS option and turns the userland proxy off, keeping every other setting, once', async () => {
    const f = join(dir, 'keep.json');
    writeFileSync(f, JSON.stringify({ 'log-level': 'warn', 'dns-opts': [] }));
    expect((await ensureDnsOpts(f)).code).toBe(0);
    const first = readFileSync(f, 'utf8');
    expect(JSON.parse(first)).toEqual({
      'log-level': 'warn',
      'dns-opts': ['ndots:0'],
      'userland-proxy': false,
    });
    expect((await ensureDnsOpts(f)).code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(first);
  });

  test('leaves DNS options and a userland-proxy choice someone already made alone', async () => {
    const f = join(dir, 'chosen.json');
    writeFileSync(f, JSON.stringify({ 'dns-opts': ['timeout:2'], 'userland-proxy': true }));
    expect((await ensureDnsOpts(f)).code).toBe(0);
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({
      'dns-opts': ['timeout:2'],
      'userland-proxy': true,
    });
  });

  test('refuses a file that is not JSON, says why, and does not overwrite it', async () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{"log-level": ');
    const r = await ensureDnsOpts(f);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(readFileSync(f, 'utf8')).toBe('{"log-level": ');
  });
});

describe('the running engine', () => {
  test("reaches the store's published port from 127.0.0.1 without a docker-proxy process", async () => {
    // With the userland proxy on, one docker-proxy per published port carries every loopback
    // connection; the edge's is the one that died under load (ADR 0206).
    const ps = await run('ps', ['-eo', 'args']);
    expect(ps.stdout.split('\n').filter((l) => /docker-proxy .*-host-port 8443\b/.test(l))).toEqual(
      [],
    );
    const r = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--cacert',
      CA_CERT,
      'https://127.0.0.1:8443/api/categories',
    ]);
    expect(r.stdout).toBe('200');
  });

  test('lab up warns, with the fix, only when docker-proxy carries the store port', () => {
    const proxied =
      '/usr/sbin/dockerd\n/usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8443 -container-ip 172.18.0.6 -container-port 8443\n';
    expect(userlandProxyWarning(proxied)).toMatch(
      /8443[\s\S]*userland-proxy": false[\s\S]*daemon\.json/,
    );
    expect(userlandProxyWarning(proxied.replace(/8443/g, '18443'))).toBeNull();
    expect(userlandProxyWarning('/usr/sbin/dockerd\n')).toBeNull();
  });
});

describe("the running engine's DNS on the internal data network", () => {
  test('a name nobody has fails at once instead of after a resolver timeout, and the containers carry the option', async () => {
    const probe = await probeUnknownName(await serviceImage('sentinel1'));
    expect(probe.triesMs).toHaveLength(3);
    expect(probe.bestMs).toBeLessThanOrEqual(SLOW_MISS_MS);
    // The engine writes its dns-opts into each container's resolv.conf: what makes misses fast.
    expect(probe.containerOptions).toContain('ndots:0');
    expect(dnsReport(probe, ['ndots:0'])).not.toMatch(/WARNING/);
  });
});
