/**
 * infra/lab/stack.logging.yml against the rest of the stack and against shipping.ts: every service
 * ships with the driver options the ADR measured, the store keeps its own logs local, and its
 * ingestion flags match what the driver sends.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { LOCAL_CACHE_OPTS, SPLUNK_INGEST_FLAGS, splunkOpts } from './shipping';

const LAB = join(__dirname, '..', '..', '..', 'infra', 'lab');
const load = (f: string) =>
  parse(readFileSync(join(LAB, f), 'utf8'), { merge: true }) as {
    services: Record<string, Record<string, any>>;
  };
const logging = load('stack.logging.yml');
const otherServices = ['stack.yml', 'stack.data.yml', 'stack.monitoring.yml', 'stack.backup.yml']
  .filter((f) => existsSync(join(LAB, f)))
  .flatMap((f) => Object.keys(load(f).services));

test('every service of the stack ships its logs with the measured driver options', () => {
  const expected = { ...splunkOpts('http://127.0.0.1:9428') };
  const noCache = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('cache-')));
  expect(new Set(otherServices).size).toBeGreaterThan(20);
  for (const name of new Set(otherServices)) {
    const l = logging.services[name]?.logging;
    expect([name, l?.driver]).toEqual([name, 'splunk']);
    expect([name, noCache(l.options)]).toEqual([name, noCache(expected)]);
    // Rotation of the local copy is set per service.
    expect(Number(l.options['cache-max-file'])).toBeGreaterThanOrEqual(
      Number(LOCAL_CACHE_OPTS['cache-max-file']),
    );
    expect(l.options['cache-max-size']).toMatch(/^\d+m$/);
  }
  // And nothing is listed that the other files do not define (it would deploy without an image).
  const extra = Object.keys(logging.services).filter(
    (n) => n !== 'victoria-logs' && !otherServices.includes(n),
  );
  expect(extra).toEqual([]);
});

test('the store keeps retention, its ingestion flags and its own logs local', () => {
  const vl = logging.services['victoria-logs']!;
  expect(vl.command).toEqual(expect.arrayContaining([...SPLUNK_INGEST_FLAGS]));
  expect(vl.command).toEqual(
    expect.arrayContaining(['-retentionPeriod=7d', '-retention.maxDiskSpaceUsageBytes=2GiB']),
  );
  expect(vl.logging.driver).toBe('json-file');
  expect(vl.ports).toEqual([{ target: 9428, published: 9428, protocol: 'tcp', mode: 'host' }]);
  expect(vl.networks).toEqual(['monitoring', 'logs-publish']);
  // The host port needs one network that is not internal (docker_gwbridge); only the store joins it.
  expect((logging as any).networks['logs-publish']).toEqual({ driver: 'overlay' });
  expect((logging as any).networks.monitoring.internal).toBe(true);
  expect(vl.deploy.resources.limits).toEqual({ cpus: '0.5', memory: '256M' });
});

test('Prometheus scrapes the store', () => {
  const prom = readFileSync(join(LAB, 'monitoring', 'prometheus.yml'), 'utf8');
  expect(prom).toMatch(
    /job_name: victoria-logs\n\s+dns_sd_configs:\n\s+- \{ names: \[tasks\.victoria-logs\], type: A, port: 9428/,
  );
});
