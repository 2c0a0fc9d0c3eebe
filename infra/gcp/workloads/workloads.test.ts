import * as pulumi from '@pulumi/pulumi';
import { restrictedViolations } from '@dhakacart/infra-k8s';
import { installMocks, ofType, promiseOf, settle, waitsFor, type Recorded } from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';
import { PLATFORM_OUTPUTS } from '../test/platform-outputs';

const recorded: Recorded[] = installMocks('dhakacart-workloads', 'prod', PLATFORM_OUTPUTS);
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(__dirname, 'prod')));

import { loadWorkloadsConfig } from './config';
import { createWorkloads } from './workloads';
import { CHARTS } from './components/addon-charts';
import { K6_OPERATOR_VALUES } from './components/addons';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

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

  it('puts Cloud CDN on the catalogue route as the stack config says (GCPHTTPFilter)', () => {
    expect(cfg.cdn.enabled).toBe(true);
    const filter = objects.find((o) => o.kind === 'GCPHTTPFilter')!;
    expect(filter.spec.cachePolicy.cacheMode).toBe('USE_ORIGIN_HEADERS');
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'store')!;
    // The catalogue's journey rules carry the filter (one rule per SLO journey, ADR 0202).
    const cdnRules = route.spec.rules.filter((r: Inputs) =>
      (r.filters ?? []).some((f: Inputs) => f.extensionRef?.name === filter.metadata.name),
    );
    expect(
      cdnRules.flatMap((r: Inputs) => r.matches.map((m: Inputs) => m.path.value)).sort(),
    ).toEqual(['/api/categories', '/api/products']);
  });

  it('keeps the logs in Loki on GCS through Workload Identity, replicated and expiring (ADR 0403)', () => {
    const loki = releases().find((r) => r.chart === 'loki')!;
    expect(loki.namespace).toBe('logging');
    const v = loki.values;
    expect(v.deploymentMode).toBe('SimpleScalable');
    expect(v.serviceAccount).toEqual({
      create: true,
      name: PLATFORM_OUTPUTS.serviceAccounts.ksa.loki.name,
      annotations: { 'iam.gke.io/gcp-service-account': PLATFORM_OUTPUTS.serviceAccounts.loki },
    });
    expect(v.loki.storage).toMatchObject({
      type: 'gcs',
      bucketNames: {
        chunks: PLATFORM_OUTPUTS.logs.chunksBucket,
        ruler: PLATFORM_OUTPUTS.logs.rulerBucket,
      },
    });
    expect(v.loki.schemaConfig.configs[0].object_store).toBe('gcs');
    expect(v.loki.commonConfig.replication_factor).toBe(3);
    expect(v.loki.limits_config.retention_period).toBe(
      `${PLATFORM_OUTPUTS.logs.retentionDays * 24}h`,
    );
    expect(v.loki.compactor.retention_enabled).toBe(true);
    for (const target of ['write', 'read', 'backend'])
      expect(v[target].replicas).toBe(cfg.logs.replicas);
    expect(JSON.stringify(v)).not.toContain('filesystem');
  });

  it('ships every pod’s lines with the Alloy DaemonSet to Loki, and Grafana reads them', () => {
    const alloy = releases().find((r) => r.chart === 'alloy')!;
    expect(alloy.namespace).toBe('logging');
    expect(alloy.values.controller.type).toBe('daemonset');
    expect(alloy.values.alloy.configMap.content).toContain(
      'url = "http://loki-gateway.logging.svc.cluster.local/loki/api/v1/push"',
    );
    const grafana = releases().find((r) => r.chart === 'kube-prometheus-stack')!.values.grafana;
    expect(grafana.additionalDataSources).toEqual([
      expect.objectContaining({
        uid: 'loki',
        type: 'loki',
        url: 'http://loki-gateway.logging.svc.cluster.local',
      }),
    ]);
  });

  it('lets Prometheus pick up every ServiceMonitor and PrometheusRule and Grafana every dashboard ConfigMap', () => {
    const values = releases().find((r) => r.chart === 'kube-prometheus-stack')!.values;
    expect(values.prometheus.prometheusSpec).toMatchObject({
      enableRemoteWriteReceiver: true,
      serviceMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    expect(values.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: 'grafana_dashboard',
    });
  });

  it('applies the infra/k8s objects built from the platform outputs in one ConfigGroup, after the add-ons', () => {
    const group = ofType(recorded, 'kubernetes:yaml/v2:ConfigGroup').find(
      (g) => g.name === 'dhakacart',
    );
    expect(group).toBeDefined();
    expect((group!.inputs.objs as unknown[]).length).toBe(objects.length);
    for (const r of ofType(recorded, 'kubernetes:helm.sh/v3:Release'))
      expect(waitsFor(recorded, group!, r)).toBe(true);
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
    const { alerting: _alerting, ...appSecrets } = PLATFORM_OUTPUTS.secretIds;
    expect(es.spec.data.map((d: Inputs) => d.remoteRef.key)).toEqual(Object.values(appSecrets));
    expect(JSON.stringify(objects)).not.toMatch(/password"\s*:\s*"[^"]/i);
  });
});

/**
 * The controller pod k6-operator chart 3.9.0 renders from its values (templates/deployment.yaml):
 * no pod securityContext value exists; `manager` always, `kube-rbac-proxy` when authProxy is on,
 * each with its `containerSecurityContext` when set.
 */
function k6OperatorPod(values: {
  authProxy?: { enabled?: boolean; containerSecurityContext?: object };
  manager?: { containerSecurityContext?: object };
}): IPodSpec {
  const containers: IPodSpec['containers'] = [
    {
      name: 'manager',
      image: 'ghcr.io/grafana/k6-operator:controller-v0.0.17',
      securityContext: values.manager?.containerSecurityContext,
    },
  ];
  if (values.authProxy?.enabled ?? true)
    containers.push({
      name: 'kube-rbac-proxy',
      image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0',
      securityContext: values.authProxy?.containerSecurityContext,
    });
  return { containers };
}

describe('add-ons in their namespaces', () => {
  const byChart = (c: string) => releases().find((r) => r.chart === c)!;

  it("admits k6-operator's pods into its restricted namespace", () => {
    const release = byChart('k6-operator');
    expect(release.namespace).toBe('k6-operator');
    expect(restrictedViolations(k6OperatorPod(release.values))).toEqual([]);
    expect(release.values).toEqual(K6_OPERATOR_VALUES);
  });

  it("the same check rejects the chart's defaults (what atomic: true would roll back)", () => {
    expect(restrictedViolations(k6OperatorPod({})).length).toBeGreaterThan(0);
  });

  it('installs every chart only after its namespace, default deny and allow rules exist', () => {
    const [group] = ofType(recorded, 'kubernetes:yaml/v2:ConfigGroup').filter(
      (g) => g.name === 'addons-namespaces',
    );
    const nsObjects = group!.inputs.objs as Inputs[];
    const created = nsObjects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    for (const r of ofType(recorded, 'kubernetes:helm.sh/v3:Release')) {
      expect(created).toContain(r.inputs.namespace);
      expect(r.inputs.createNamespace).toBe(false);
      expect(waitsFor(recorded, r, group!)).toBe(true);
    }
  });

  it("routes Alertmanager's pages to chat and SMS and tickets to email, credentials from files", () => {
    const values = byChart('kube-prometheus-stack').values.alertmanager;
    expect(values.alertmanagerSpec.secrets).toEqual(['alertmanager-receivers']);
    const receivers = Object.fromEntries(
      (values.config.receivers as Inputs[]).map((r) => [r.name, r]),
    );
    const dir = '/etc/alertmanager/secrets/alertmanager-receivers';
    expect(receivers['page-chat-and-sms'].slack_configs[0]).toMatchObject({
      api_url_file: `${dir}/slack-webhook-url`,
      channel: cfg.alerting.slackChannel,
    });
    expect(receivers['page-chat-and-sms'].webhook_configs[0]).toMatchObject({
      url: cfg.alerting.smsWebhookUrl,
      http_config: { authorization: { credentials_file: `${dir}/sms-token` } },
    });
    expect(receivers['ticket-email'].email_configs[0]).toMatchObject({
      to: cfg.alerting.emailTo,
      smarthost: cfg.alerting.smarthost,
      auth_password_file: `${dir}/smtp-password`,
      require_tls: true,
    });
    expect(values.config.route.routes).toContainEqual(
      expect.objectContaining({ matchers: ['severity="page"'], receiver: 'page-chat-and-sms' }),
    );
  });

  it("starts Alertmanager only after its credentials' ExternalSecret, which waits for External Secrets", () => {
    const secrets = ofType(recorded, 'kubernetes:yaml/v2:ConfigGroup').find(
      (g) => g.name === 'addons-secrets',
    )!;
    const kinds = (secrets.inputs.objs as Inputs[]).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual([
      'ClusterSecretStore/gcp-secret-manager',
      'ExternalSecret/alertmanager-receivers',
    ]);
    const release = (c: string) =>
      ofType(recorded, 'kubernetes:helm.sh/v3:Release').find((r) => r.inputs.chart === c)!;
    expect(waitsFor(recorded, release('kube-prometheus-stack'), secrets)).toBe(true);
    expect(waitsFor(recorded, secrets, release('external-secrets'))).toBe(true);
  });

  it('reaches the private control plane through Connect Gateway, with no key or token', () => {
    const [provider] = ofType(recorded, 'pulumi:providers:kubernetes');
    const kc = JSON.parse(provider!.inputs.kubeconfig as string) as Inputs;
    expect(kc.clusters[0].cluster).toEqual({ server: PLATFORM_OUTPUTS.cluster.gatewayUrl });
    expect(kc.users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
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
