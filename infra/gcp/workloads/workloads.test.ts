import * as pulumi from '@pulumi/pulumi';
import { ofType, promiseOf, settle, type Recorded } from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';

/** What the platform stack exports (shape of platform/index.ts), as the StackReference sees it. */
const PLATFORM_OUTPUTS = {
  projectId: 'dhakacart-prod',
  environment: 'prod',
  domain: 'dhakacart.example',
  region: 'asia-south1',
  cluster: { name: 'dhakacart-prod-gke', endpoint: '172.16.0.2', caCertificate: 'Q0E=' },
  database: {
    host: '10.64.0.3',
    port: 5432,
    name: 'dhakacart',
    user: 'dhakacart_app',
    serverCa: 'SQL-CA',
  },
  redis: { host: '10.64.1.4', port: 6378, serverCa: 'REDIS-CA' },
  dataTierCidr: '10.64.0.0/20',
  secretIds: {
    dbPassword: 'dhakacart-prod-db-password',
    redisAuth: 'dhakacart-prod-redis-auth',
    sessionKey: 'dhakacart-prod-session-key',
  },
  gateway: {
    staticAddressName: 'dhakacart-prod-lb-ip',
    certificateMapName: 'dhakacart-prod-certmap',
    sslPolicyName: 'dhakacart-prod-tls12',
    securityPolicyName: 'dhakacart-prod-armor',
  },
  serviceAccounts: {
    externalSecrets: 'dhakacart-prod-eso@dhakacart-prod.iam.gserviceaccount.com',
    velero: 'dhakacart-prod-velero@dhakacart-prod.iam.gserviceaccount.com',
    ksa: {
      externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
      velero: { namespace: 'velero', name: 'velero' },
    },
  },
  veleroBucket: 'dhakacart-prod-velero',
};

const recorded: Recorded[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state =
        args.type === 'pulumi:pulumi:StackReference'
          ? { ...args.inputs, outputs: PLATFORM_OUTPUTS }
          : args.inputs;
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  'dhakacart-workloads',
  'prod',
  false,
);
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(__dirname, 'prod')));

import { loadWorkloadsConfig } from './config';
import { createWorkloads } from './workloads';
import { CHARTS } from './components/addon-charts';

type Inputs = Record<string, any>;
const cfg = loadWorkloadsConfig();
let objects: Inputs[];

beforeAll(async () => {
  const w = createWorkloads(cfg);
  objects = (await promiseOf(w.objects)) as Inputs[];
  await settle(recorded);
});

const releases = () =>
  ofType(recorded, 'kubernetes:helm.sh/v3:Release').map((r) => r.inputs as Inputs);

describe('workloads stack', () => {
  it('reads the platform through a StackReference named in config', () => {
    expect(ofType(recorded, 'pulumi:pulumi:StackReference').map((r) => r.inputs.name)).toEqual([
      cfg.platformStack,
    ]);
  });

  it('installs every add-on from its chart repository at an exact pinned version', () => {
    const got = releases().map((r) => [r.chart, r.version, r.repositoryOpts.repo]);
    expect(got.sort()).toEqual(
      Object.values(CHARTS)
        .map((c) => [c.chart, c.version, c.repo])
        .sort(),
    );
    for (const r of releases()) expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs Chaos Mesh against containerd and Velero/ESO with Workload Identity, no key files', () => {
    const byChart = (c: string) => releases().find((r) => r.chart === c)!.values;
    expect(byChart('chaos-mesh').chaosDaemon).toEqual({
      runtime: 'containerd',
      socketPath: '/run/containerd/containerd.sock',
    });
    const velero = byChart('velero');
    expect(velero.credentials.useSecret).toBe(false);
    expect(velero.serviceAccount.server.annotations['iam.gke.io/gcp-service-account']).toBe(
      PLATFORM_OUTPUTS.serviceAccounts.velero,
    );
    expect(velero.configuration.backupStorageLocation[0].bucket).toBe(
      PLATFORM_OUTPUTS.veleroBucket,
    );
    expect(
      byChart('external-secrets').serviceAccount.annotations['iam.gke.io/gcp-service-account'],
    ).toBe(PLATFORM_OUTPUTS.serviceAccounts.externalSecrets);
  });

  it('lets Prometheus pick up every ServiceMonitor and PrometheusRule and Grafana every dashboard ConfigMap', () => {
    const values = releases().find((r) => r.chart === 'kube-prometheus-stack')!.values;
    expect(values.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    expect(values.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: 'grafana_dashboard',
    });
  });

  it('applies the infra/k8s objects built from the platform outputs in one ConfigGroup, after the add-ons', () => {
    const [group] = ofType(recorded, 'kubernetes:yaml/v2:ConfigGroup');
    expect(group).toBeDefined();
    expect((group!.inputs.objs as unknown[]).length).toBe(objects.length);
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api')!;
    const env = Object.fromEntries(
      (api.spec.template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [
        e.name,
        e.value,
      ]),
    );
    expect(env).toMatchObject({
      DB_HOST: '10.64.0.3',
      REDIS_HOST: '10.64.1.4',
      REDIS_PORT: '6378',
      DB_SSL: 'verify-ca',
      DB_SSL_CA_FILE: '/etc/dhakacart/ca/ca.pem',
      REDIS_TLS: 'true',
    });
    expect(api.spec.template.spec.containers[0].image).toBe(cfg.images.api);
  });

  it('trusts the data tier CAs from the platform and routes the Gateway through its edge resources', () => {
    const ca = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'data-tier-ca')!;
    expect(ca.data['ca.pem']).toBe('SQL-CA\nREDIS-CA\n');
    const gw = objects.find((o) => o.kind === 'Gateway')!;
    expect(gw.metadata.annotations['networking.gke.io/certmap']).toBe(
      PLATFORM_OUTPUTS.gateway.certificateMapName,
    );
    expect(gw.spec.addresses).toEqual([
      { type: 'NamedAddress', value: PLATFORM_OUTPUTS.gateway.staticAddressName },
    ]);
    const armor = objects
      .filter((o) => o.kind === 'GCPBackendPolicy')
      .map((o) => o.spec.default.securityPolicy);
    expect(armor).toEqual([
      PLATFORM_OUTPUTS.gateway.securityPolicyName,
      PLATFORM_OUTPUTS.gateway.securityPolicyName,
    ]);
  });

  it('references secrets only by Secret Manager id: no Secret object and no secret value in any manifest', () => {
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    const es = objects.find((o) => o.kind === 'ExternalSecret')!;
    expect(es.spec.data.map((d: Inputs) => d.remoteRef.key)).toEqual(
      Object.values(PLATFORM_OUTPUTS.secretIds),
    );
    expect(JSON.stringify(objects)).not.toMatch(/password"\s*:\s*"[^"]/i);
  });
});

describe('toWorkloadSettings', () => {
  it('rejects platform outputs that would render invalid objects, with a machine-readable error', async () => {
    const { toWorkloadSettings } = await import('./workloads');
    const bad = { ...PLATFORM_OUTPUTS, dataTierCidr: '10.64.0.0' } as unknown as Parameters<
      typeof toWorkloadSettings
    >[0];
    expect(() => toWorkloadSettings(bad, cfg)).toThrow(
      expect.objectContaining({ code: 'INVALID_WORKLOAD_SETTINGS' }),
    );
  });
});
