import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONITORING_CONFIG_FILES, MONITORING_IMAGES, monitoringStackEnv } from './monitoring';
import { CA_CERT, LAB_ROOT, STACK_FILES } from './paths';

// The monitoring files agree with each other and with the rest of the stack: a renamed service
// or a forgotten variable fails here, before a deploy silently scrapes nothing.

const read = (f: string) => readFileSync(f, 'utf8');
const PROMETHEUS_YML = join(LAB_ROOT, 'monitoring', 'prometheus.yml');
const MONITORING_STACK = join(LAB_ROOT, 'stack.monitoring.yml');

/** Service names defined in the stack files (two-space keys under `services:`). */
function stackServices(): Set<string> {
  const names = new Set<string>();
  for (const f of STACK_FILES.filter(existsSync)) {
    const body =
      read(f)
        .split(/^services:\s*$/m)[1]
        ?.split(/^\S/m)[0] ?? '';
    for (const m of body.matchAll(/^ {2}([a-z0-9-]+):\s*$/gm)) names.add(m[1]!);
  }
  return names;
}

test('every variable stack.monitoring.yml interpolates is set by monitoringStackEnv', () => {
  const used = new Set([...read(MONITORING_STACK).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!));
  expect(existsSync(CA_CERT)).toBe(true); // made by `npm run lab`
  const refs = Object.fromEntries(MONITORING_IMAGES.map((i) => [i, `dhakacart/${i}:test`]));
  const env = monitoringStackEnv(refs);
  expect(new Set(Object.keys(env))).toEqual(used);
  // Image references and content hashes, plus the Docker socket's group id (swarm-exporter).
  const shape = (name: string) =>
    name === 'DOCKER_SOCKET_GID' ? /^\d+$/ : /^(dhakacart\/|[0-9a-f]{12}$)/;
  for (const [name, value] of Object.entries(env))
    expect([name, value]).toEqual([name, expect.stringMatching(shape(name))]);
  expect(Object.keys(MONITORING_CONFIG_FILES).every((k) => used.has(k))).toBe(true);
});

test('every name Prometheus scrapes is a service of the stack', () => {
  const cfg = read(PROMETHEUS_YML);
  const services = stackServices();
  const dnsNames = [...cfg.matchAll(/tasks\.([a-z0-9-]+)/g)].map((m) => m[1]!);
  const staticHosts = [...cfg.matchAll(/(?:redis|https):\/\/([a-z0-9-]+):\d+/g)].map((m) => m[1]!);
  const relayHosts = [...cfg.matchAll(/replacement: ([a-z0-9-]+):\d+/g)].map((m) => m[1]!);
  const named = [...new Set([...dnsNames, ...staticHosts, ...relayHosts])];
  expect(named.length).toBeGreaterThan(10);
  expect(named.filter((n) => !services.has(n))).toEqual([]);
});

test('promtool accepts the Prometheus configuration', () => {
  const out = execFileSync('promtool', ['check', 'config', '--syntax-only', PROMETHEUS_YML], {
    encoding: 'utf8',
  });
  expect(out).toMatch(/SUCCESS/);
});
