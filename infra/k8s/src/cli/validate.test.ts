// kubernetes-models is ESM-only, which jest's CommonJS runtime cannot load, so these tests run
// the real validate CLI under Node + tsx and read its JSON report.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects, type KubeObject } from '../objects';
import { peakTestRun } from '../objects/loadtest';
import { readK6Scripts } from '../objects/k6-scripts';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
// tsx's CLI run by this very node binary: independent of node_modules/.bin links.
const TSX_CLI = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [TSX_CLI, CLI, ...args], { input, encoding: 'utf8' });
const CLI = path.join(__dirname, 'validate.ts');

interface Report {
  ok: boolean;
  total: number;
  invalid: number;
  reports: { ref: string; validator: string; findings: { path: string; message: string }[] }[];
}

function validate(objects: unknown[]): { status: number | null; report: Report } {
  const r = run(['--stdin', '--json'], JSON.stringify(objects));
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}

const objects = buildWorkloadObjects(ENVIRONMENTS.prod, {
  ruleFiles: [],
  dashboards: [],
  missing: [],
});
// Broken fixtures poke at arbitrary depths; `any` keeps each case to one readable line.
type Loose = KubeObject & Record<string, any>;
const find = (kind: string, name?: string) =>
  structuredClone(
    objects.find((o) => o.kind === kind && (!name || o.metadata?.name === name))!,
  ) as Loose;

/** One broken field per case; each must be the only invalid object of the batch. */
const broken: [string, KubeObject][] = [
  [
    'Deployment replicas as a string',
    (() => {
      const o = find('Deployment', 'api');
      o.spec.replicas = 'three';
      return o;
    })(),
  ],
  [
    'Service port as a string',
    (() => {
      const o = find('Service', 'web');
      o.spec.ports[0].port = '80';
      return o;
    })(),
  ],
  [
    'HPA without maxReplicas',
    (() => {
      const o = find('HorizontalPodAutoscaler', 'api');
      delete o.spec.maxReplicas;
      return o;
    })(),
  ],
  [
    'NetworkPolicy with an unknown policy type',
    (() => {
      const o = find('NetworkPolicy', 'default-deny-all');
      o.spec.policyTypes = ['Sideways'];
      return o;
    })(),
  ],
  [
    'ServiceMonitor with a numeric interval',
    (() => {
      const o = find('ServiceMonitor');
      o.spec.endpoints[0].interval = 15;
      return o;
    })(),
  ],
  [
    'HTTPRoute redirect with an invalid status code',
    (() => {
      const o = find('HTTPRoute', 'http-to-https');
      o.spec.rules[0].filters[0].requestRedirect.statusCode = 299;
      return o;
    })(),
  ],
  [
    'GCPBackendPolicy rate as a string',
    (() => {
      const o = find('GCPBackendPolicy', 'api');
      o.spec.default.maxRatePerEndpoint = 'lots';
      return o;
    })(),
  ],
  [
    'ExternalSecret without a remote key',
    (() => {
      const o = find('ExternalSecret');
      delete o.spec.data[0].remoteRef.key;
      return o;
    })(),
  ],
  [
    'Velero Schedule with a misspelt field',
    (() => {
      const o = find('Schedule', 'dhakacart-hourly');
      o.spec.template.ttll = '1h';
      return o;
    })(),
  ],
  [
    'k6 TestRun without a script',
    (() => {
      const o = structuredClone(
        peakTestRun(ENVIRONMENTS.prod, readK6Scripts()),
      ) as unknown as Loose;
      delete o.spec.script;
      return o;
    })(),
  ],
];

describe('validate CLI (offline validation of every object)', () => {
  it('passes every object of both example environments and exits 0', () => {
    const r = run(['--json']);
    expect(r.status).toBe(0);
    const out = r.stdout;
    const report = JSON.parse(out) as Report;
    expect(report.invalid).toBe(0);
    expect(report.total).toBeGreaterThan(60);
    expect(report.reports.some((r) => r.validator === 'none')).toBe(false);
  });

  it('uses kubernetes-models for core, Gateway, ESO, GKE and prometheus-operator kinds and CRDs for the rest, and rejects each broken object and only that one', () => {
    const batch = [...objects, ...broken.map(([, o]) => o)];
    const { status, report } = validate(batch);
    expect(status).toBe(1);
    const invalidIdx = report.reports.flatMap((r, i) => (r.findings.length ? [i] : []));
    expect(invalidIdx).toEqual(broken.map((_, i) => objects.length + i));
    const byRef = (needle: string) => report.reports.find((r) => r.ref.includes(needle))!.validator;
    expect(byRef('apps/v1 Deployment')).toBe('kubernetes-models');
    expect(byRef('monitoring.coreos.com/v1 ServiceMonitor')).toBe('kubernetes-models');
    expect(byRef('networking.gke.io/v1 GCPBackendPolicy')).toBe('kubernetes-models');
    expect(byRef('velero.io/v1 Schedule')).toBe('crd');
    expect(byRef('k6.io/v1alpha1 TestRun')).toBe('crd');
  });

  it('validates the manifests carried in labelled ConfigMaps (a TestRun the CronJob creates)', () => {
    const run = structuredClone(
      peakTestRun(ENVIRONMENTS.prod, readK6Scripts()),
    ) as unknown as Loose;
    run.spec.parallelism = 'twenty';
    const carrier = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'carrier',
        namespace: 'loadtest',
        labels: { 'dhakacart.io/embedded-manifest': 'true' },
      },
      data: { 'testrun.yaml': YAML.stringify(run) },
    };
    const { status, report } = validate([carrier]);
    expect(status).toBe(1);
    expect(report.reports.map((r) => [r.ref, r.findings.map((f) => f.path)])).toEqual([
      ['v1 ConfigMap loadtest/carrier', []],
      [expect.stringContaining('TestRun'), ['/spec/parallelism']],
    ]);
  });

  it('rejects an object without apiVersion/kind and a kind it has no schema for', () => {
    const { report } = validate([
      { metadata: { name: 'x' } },
      { apiVersion: 'example.com/v1', kind: 'Thing' },
    ]);
    expect(report.reports.map((r) => r.findings[0]?.message)).toEqual([
      'apiVersion and kind must be strings',
      'no schema for example.com/v1 Thing',
    ]);
  });

  it('answers --help and refuses unknown flags with a machine-readable error', () => {
    expect(run(['--help']).stdout).toMatch(/usage: validate/);
    const r = run(['--frobnicate']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({
      error: 'UNKNOWN_ARGUMENT',
      arguments: ['--frobnicate'],
    });
  });
});
