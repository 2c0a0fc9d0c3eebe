// Reads the platform stack's outputs, installs the add-ons and applies DhakaCart's objects.
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import {
  buildObjectPhases,
  GOOGLE_LB_SOURCE_RANGES,
  parseWorkloadSettings,
  readSloSources,
  type WorkloadSettings,
} from '@dhakacart/infra-k8s';
import type { WorkloadsConfig } from './config-schema';
import { clusterProvider, kubeconfig } from './components/cluster-provider';
import { Addons } from './components/addons';
import { App } from './components/app';
import { CHARTS } from './components/addon-charts';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface PlatformView {
  projectId: string;
  environment: 'staging' | 'prod';
  domain: string;
  region: string;
  zones: string[];
  cluster: { name: string; endpoint: string; caCertificate: string; gatewayUrl: string };
  network: { nodesCidr: string; controlPlaneCidr: string; smtpRelayCidrs: string[] };
  loadtest: { runners: number; vusPerRunner: number; poolMaxNodes: number };
  database: {
    instance: string;
    host: string;
    port: number;
    name: string;
    user: string;
    serverCa: string;
  };
  redis: { instance: string; host: string; port: number; serverCa: string };
  dataTierCidr: string;
  secretIds: {
    dbPassword: string;
    redisAuth: string;
    sessionKey: string;
    alerting: { slackWebhookUrl: string; smsToken: string; smtpPassword: string };
  };
  gateway: {
    staticAddressName: string;
    certificateMapName: string;
    sslPolicyName: string;
    securityPolicyName: string;
  };
  serviceAccounts: {
    externalSecrets: string;
    velero: string;
    chaos: string;
    dbDrill: string;
    loki: string;
    ksa: Record<
      'externalSecrets' | 'velero' | 'chaos' | 'dbDrill' | 'loki',
      { namespace: string; name: string }
    >;
  };
  veleroBucket: string;
  logs: { chunksBucket: string; rulerBucket: string; retentionDays: number };
}

const PLATFORM_KEYS = [
  'projectId',
  'environment',
  'domain',
  'region',
  'zones',
  'cluster',
  'network',
  'loadtest',
  'database',
  'redis',
  'dataTierCidr',
  'secretIds',
  'gateway',
  'serviceAccounts',
  'veleroBucket',
  'logs',
] as const;

/** Pure mapping from platform outputs + workloads config to the infra/k8s settings. */
export function toWorkloadSettings(p: PlatformView, cfg: WorkloadsConfig): WorkloadSettings {
  return parseWorkloadSettings({
    environment: p.environment,
    namespace: 'dhakacart',
    monitoringNamespace: 'monitoring',
    veleroNamespace: p.serviceAccounts.ksa.velero.namespace,
    loadtestNamespace: 'loadtest',
    chaosNamespace: CHARTS.chaosMesh.namespace,
    k6OperatorNamespace: CHARTS.k6Operator.namespace,
    externalSecretsNamespace: p.serviceAccounts.ksa.externalSecrets.namespace,
    loggingNamespace: p.serviceAccounts.ksa.loki.namespace,
    domain: p.domain,
    gcpProject: p.projectId,
    region: p.region,
    zones: p.zones,
    images: cfg.images,
    toolImages: cfg.toolImages,
    api: cfg.api,
    web: cfg.web,
    database: {
      instance: p.database.instance,
      host: p.database.host,
      port: p.database.port,
      name: p.database.name,
      user: p.database.user,
    },
    redis: { instance: p.redis.instance, host: p.redis.host, port: p.redis.port },
    dataEgressCidrs: [p.dataTierCidr],
    loadBalancerSourceCidrs: GOOGLE_LB_SOURCE_RANGES,
    network: p.network,
    alerting: { ...cfg.alerting, secretIds: p.secretIds.alerting },
    loadtest: { ...p.loadtest, ...cfg.loadtest },
    secretManager: {
      dbPassword: p.secretIds.dbPassword,
      redisAuth: p.secretIds.redisAuth,
      sessionKey: p.secretIds.sessionKey,
    },
    gateway: p.gateway,
    dataTierCaBundle: `${p.database.serverCa.trim()}\n${p.redis.serverCa.trim()}\n`,
    backups: {
      storageLocation: 'default',
      dailyTtl: '720h0m0s',
      hourlyTtl: '72h0m0s',
      drill: {
        ...cfg.backups.drill,
        scratchNamespace: 'dhakacart-restore-drill',
        serviceAccount: p.serviceAccounts.dbDrill,
      },
    },
    chaos: {
      ...cfg.chaos,
      experimentsNamespace: p.serviceAccounts.ksa.chaos.namespace,
      failoverServiceAccount: p.serviceAccounts.chaos,
    },
    cdn: cfg.cdn,
  });
}

export function createWorkloads(cfg: WorkloadsConfig) {
  const platformRef = new pulumi.StackReference('platform', { name: cfg.platformStack });
  const platform = pulumi
    .all(Object.fromEntries(PLATFORM_KEYS.map((k) => [k, platformRef.requireOutput(k)])))
    .apply((v) => v as unknown as PlatformView);

  const provider = clusterProvider('gke', kubeconfig(platform.apply((p) => p.cluster)));
  const slo = readSloSources(REPO_ROOT);
  if (slo.missing.length)
    pulumi.log.warn(
      `SLO files not found, their PrometheusRules/dashboards are skipped: ${slo.missing.join(', ')}`,
    );
  const settings = platform.apply((p) => toWorkloadSettings(p, cfg));
  const phases = settings.apply((s) => buildObjectPhases(s, slo));
  const addons = new Addons('addons', {
    provider,
    settings,
    namespaceObjects: phases.namespaces,
    secretObjects: phases.secrets,
    region: platform.region,
    veleroBucket: platform.veleroBucket,
    serviceAccounts: {
      externalSecrets: platform.serviceAccounts.externalSecrets,
      velero: platform.serviceAccounts.velero,
    },
    ksa: {
      externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
      velero: { namespace: 'velero', name: 'velero' },
    },
    monitoring: cfg.monitoring,
    logs: {
      serviceAccount: platform.serviceAccounts.loki,
      chunksBucket: platform.logs.chunksBucket,
      rulerBucket: platform.logs.rulerBucket,
      retentionDays: platform.logs.retentionDays,
      replicas: cfg.logs.replicas,
    },
  });

  const app = new App('dhakacart', {
    provider,
    objects: phases.workloads,
    dependsOn: [...Object.values(addons.releases), addons.namespaceGroup, addons.secretGroup],
  });

  return { settings, objects: app.objects, addons, app, releases: addons.releases };
}
