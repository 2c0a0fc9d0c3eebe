// Reads the platform stack's outputs, installs the add-ons and applies DhakaCart's objects.
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import {
  GOOGLE_LB_SOURCE_RANGES,
  parseWorkloadSettings,
  readSloSources,
  type WorkloadSettings,
} from '@dhakacart/infra-k8s';
import type { WorkloadsConfig } from './config-schema';
import { clusterProvider, kubeconfig } from './components/cluster-provider';
import { Addons } from './components/addons';
import { App } from './components/app';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface PlatformView {
  projectId: string;
  environment: 'staging' | 'prod';
  domain: string;
  region: string;
  cluster: { name: string; endpoint: string; caCertificate: string };
  database: { host: string; port: number; name: string; user: string; serverCa: string };
  redis: { host: string; port: number; serverCa: string };
  dataTierCidr: string;
  secretIds: { dbPassword: string; redisAuth: string; sessionKey: string };
  gateway: {
    staticAddressName: string;
    certificateMapName: string;
    sslPolicyName: string;
    securityPolicyName: string;
  };
  serviceAccounts: {
    externalSecrets: string;
    velero: string;
    ksa: {
      externalSecrets: { namespace: string; name: string };
      velero: { namespace: string; name: string };
    };
  };
  veleroBucket: string;
}

const PLATFORM_KEYS = [
  'projectId',
  'environment',
  'domain',
  'region',
  'cluster',
  'database',
  'redis',
  'dataTierCidr',
  'secretIds',
  'gateway',
  'serviceAccounts',
  'veleroBucket',
] as const;

/** Pure mapping from platform outputs + workloads config to the infra/k8s settings. */
export function toWorkloadSettings(p: PlatformView, cfg: WorkloadsConfig): WorkloadSettings {
  return parseWorkloadSettings({
    environment: p.environment,
    namespace: 'dhakacart',
    monitoringNamespace: 'monitoring',
    veleroNamespace: p.serviceAccounts.ksa.velero.namespace,
    loadtestNamespace: 'loadtest',
    chaosNamespace: 'chaos-mesh',
    domain: p.domain,
    gcpProject: p.projectId,
    images: cfg.images,
    api: cfg.api,
    web: cfg.web,
    database: {
      host: p.database.host,
      port: p.database.port,
      name: p.database.name,
      user: p.database.user,
    },
    redis: { host: p.redis.host, port: p.redis.port },
    dataEgressCidrs: [p.dataTierCidr],
    loadBalancerSourceCidrs: GOOGLE_LB_SOURCE_RANGES,
    secretManager: p.secretIds,
    gateway: p.gateway,
    dataTierCaBundle: `${p.database.serverCa.trim()}\n${p.redis.serverCa.trim()}\n`,
    backups: { storageLocation: 'default', dailyTtl: '720h0m0s', hourlyTtl: '72h0m0s' },
    chaos: cfg.chaos,
  });
}

export function createWorkloads(cfg: WorkloadsConfig) {
  const platformRef = new pulumi.StackReference('platform', { name: cfg.platformStack });
  const platform = pulumi
    .all(Object.fromEntries(PLATFORM_KEYS.map((k) => [k, platformRef.requireOutput(k)])))
    .apply((v) => v as unknown as PlatformView);

  const provider = clusterProvider('gke', kubeconfig(platform.apply((p) => p.cluster)));
  const addons = new Addons('addons', {
    provider,
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
  });

  const slo = readSloSources(REPO_ROOT);
  if (slo.missing.length)
    pulumi.log.warn(
      `SLO files not found, their PrometheusRules/dashboards are skipped: ${slo.missing.join(', ')}`,
    );
  const settings = platform.apply((p) => toWorkloadSettings(p, cfg));
  const app = new App('dhakacart', {
    provider,
    settings,
    slo,
    dependsOn: Object.values(addons.releases),
  });

  return { settings, objects: app.objects, addons, app, releases: addons.releases };
}
