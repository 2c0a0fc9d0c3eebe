// Example settings for the offline render: the shape and sizes of staging and prod with
// documentation addresses in place of the platform stack's outputs (which only exist after
// `pulumi up`). The workloads stack builds the same settings from real outputs.
import { parseWorkloadSettings, type WorkloadSettings } from './settings';

const EXAMPLE_CA = [
  '-----BEGIN CERTIFICATE-----',
  'rendered-offline: the workloads stack fills this with the Cloud SQL and Memorystore server CAs',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

/** Google front-end and health-check ranges for the global external Application Load Balancer. */
export const GOOGLE_LB_SOURCE_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];

function common(env: 'staging' | 'prod') {
  return {
    environment: env,
    namespace: 'dhakacart',
    monitoringNamespace: 'monitoring',
    veleroNamespace: 'velero',
    loadtestNamespace: 'loadtest',
    chaosNamespace: 'chaos-mesh',
    gcpProject: `dhakacart-${env}`,
    database: { host: '10.64.0.3', port: 5432, name: 'dhakacart', user: 'dhakacart_app' },
    // Memorystore serves TLS (transit encryption) on 6378, not 6379.
    redis: { host: '10.64.1.4', port: 6378 },
    dataEgressCidrs: ['10.64.0.0/20'],
    loadBalancerSourceCidrs: GOOGLE_LB_SOURCE_RANGES,
    secretManager: {
      dbPassword: 'dhakacart-db-password',
      redisAuth: 'dhakacart-redis-auth',
      sessionKey: 'dhakacart-session-key',
    },
    gateway: {
      staticAddressName: `dhakacart-${env}-lb-ip`,
      certificateMapName: `dhakacart-${env}-certmap`,
      sslPolicyName: `dhakacart-${env}-tls12`,
      securityPolicyName: `dhakacart-${env}-armor`,
    },
    dataTierCaBundle: EXAMPLE_CA,
    backups: { storageLocation: 'default', dailyTtl: '720h0m0s', hourlyTtl: '72h0m0s' },
  };
}

const DIGEST = 'sha256:' + '0'.repeat(64);

export const ENVIRONMENTS: Record<'staging' | 'prod', WorkloadSettings> = {
  staging: parseWorkloadSettings({
    ...common('staging'),
    domain: 'staging.dhakacart.example',
    images: {
      api: `asia-south1-docker.pkg.dev/dhakacart-staging/dhakacart/api@${DIGEST}`,
      web: `asia-south1-docker.pkg.dev/dhakacart-staging/dhakacart/web@${DIGEST}`,
    },
    api: {
      logLevel: 'debug',
      resources: {
        cpuRequest: '250m',
        memoryRequest: '256Mi',
        cpuLimit: '1',
        memoryLimit: '512Mi',
      },
      scaling: {
        minReplicas: 3,
        maxReplicas: 12,
        targetCpuUtilization: 65,
        maxRatePerEndpoint: 150,
      },
    },
    web: {
      resources: {
        cpuRequest: '50m',
        memoryRequest: '64Mi',
        cpuLimit: '500m',
        memoryLimit: '128Mi',
      },
      scaling: {
        minReplicas: 3,
        maxReplicas: 9,
        targetCpuUtilization: 65,
        maxRatePerEndpoint: 800,
      },
    },
    chaos: { enabled: true },
  }),
  prod: parseWorkloadSettings({
    ...common('prod'),
    domain: 'dhakacart.example',
    images: {
      api: `asia-south1-docker.pkg.dev/dhakacart-prod/dhakacart/api@${DIGEST}`,
      web: `asia-south1-docker.pkg.dev/dhakacart-prod/dhakacart/web@${DIGEST}`,
    },
    api: {
      logLevel: 'info',
      resources: { cpuRequest: '1', memoryRequest: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
      scaling: {
        minReplicas: 6,
        maxReplicas: 160,
        targetCpuUtilization: 65,
        maxRatePerEndpoint: 150,
      },
    },
    web: {
      resources: {
        cpuRequest: '100m',
        memoryRequest: '64Mi',
        cpuLimit: '500m',
        memoryLimit: '128Mi',
      },
      scaling: {
        minReplicas: 3,
        maxReplicas: 30,
        targetCpuUtilization: 65,
        maxRatePerEndpoint: 800,
      },
    },
    chaos: { enabled: false },
  }),
};
