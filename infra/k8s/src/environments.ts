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

/**
 * Third-party tool images pinned by digest (the workloads stack reads them from its config; the
 * same values are in infra/gcp/workloads/Pulumi.<stack>.yaml). Before a first deploy, confirm
 * each with `crane digest <image:tag>` (docs/gcp/first-deploy.md).
 */
export const TOOL_IMAGES = {
  k6: 'docker.io/grafana/k6:1.7.1@sha256:4fd3a694926b064d3491d9b02b01cde886583c4931f1223816e3d9a7bdfa7e0f',
  kubectl:
    'docker.io/alpine/kubectl:1.37.1@sha256:7b4cc9a9ce0d064cedeb85550266c11f2b32f010ca299525518646261e4d955e',
  gcloud:
    'gcr.io/google.com/cloudsdktool/google-cloud-cli:562.0.0-slim@sha256:0da2de42ae51cd6092b5caf7c96d25003659fd15548760eb4c50c2623e7bf9c2',
  postgres:
    'docker.io/library/postgres:16.9-alpine@sha256:7c688148e5e156d0e86df7ba8ae5a05a2386aaec1e2ad8e6d11bdf10504b1fb7',
};

/**
 * The peak TestRun's runners, as the platform stacks size them (Pulumi.<stack>.yaml:
 * cluster.loadtest): 20 runners of 6,000 virtual users on a pool of up to 7 nodes per zone.
 * Memory per runner: docs/adr/0503-k6-runner-sizing.md.
 */
export const EXAMPLE_LOADTEST = {
  runners: 20,
  vusPerRunner: 6000,
  poolMaxNodes: 21,
  runnerResources: {
    cpuRequest: '2',
    memoryRequest: '23Gi',
    cpuLimit: '4',
    memoryLimit: '23Gi',
  },
};

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
    k6OperatorNamespace: 'k6-operator',
    externalSecretsNamespace: 'external-secrets',
    loggingNamespace: 'logging',
    gcpProject: `dhakacart-${env}`,
    region: 'asia-south1',
    zones: ['asia-south1-a', 'asia-south1-b', 'asia-south1-c'],
    toolImages: TOOL_IMAGES,
    database: {
      instance: `dhakacart-${env}-pg`,
      host: '10.64.0.3',
      port: 5432,
      name: 'dhakacart',
      user: 'dhakacart_app',
    },
    // Memorystore serves TLS (transit encryption) on 6378, not 6379.
    redis: { instance: `dhakacart-${env}-redis`, host: '10.64.1.4', port: 6378 },
    dataEgressCidrs: ['10.64.0.0/20'],
    loadBalancerSourceCidrs: GOOGLE_LB_SOURCE_RANGES,
    network: {
      controlPlaneCidr: '172.16.0.0/28',
      nodesCidr: '10.10.0.0/20',
      smtpRelayCidrs: ['198.51.100.0/28'],
    },
    alerting: {
      slackChannel: '#dhakacart-oncall',
      smsWebhookUrl: 'https://sms-gateway.example/hooks/dhakacart',
      emailTo: 'oncall-tickets@dhakacart.example',
      emailFrom: `alertmanager-${env}@dhakacart.example`,
      smarthost: 'smtp-relay.example:587',
      smtpUser: `alertmanager-${env}`,
      secretIds: {
        slackWebhookUrl: `dhakacart-${env}-alert-slack-webhook-url`,
        smsToken: `dhakacart-${env}-alert-sms-token`,
        smtpPassword: `dhakacart-${env}-alert-smtp-password`,
      },
    },
    loadtest: {
      ...EXAMPLE_LOADTEST,
      // Nightly on staging only (docs/adr/0502-synthetic-traffic-and-the-error-budget.md).
      nightly: { enabled: env === 'staging', schedule: '30 20 * * *' },
    },
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
    backups: {
      storageLocation: 'default',
      dailyTtl: '720h0m0s',
      hourlyTtl: '72h0m0s',
      drill: {
        schedule: '0 22 * * 0',
        scratchNamespace: 'dhakacart-restore-drill',
        pointInTimeMinutesAgo: 15,
        serviceAccount: `dhakacart-${env}-db-drill@dhakacart-${env}.iam.gserviceaccount.com`,
      },
    },
    cdn: { enabled: true },
  };
}

const DIGEST = 'sha256:' + '0'.repeat(64);

export const ENVIRONMENTS: Record<'staging' | 'prod', WorkloadSettings> = {
  staging: parseWorkloadSettings({
    ...common('staging'),
    domain: 'staging.dhakacart.example',
    images: {
      api: `asia-docker.pkg.dev/dhakacart-staging/dhakacart/api@${DIGEST}`,
      web: `asia-docker.pkg.dev/dhakacart-staging/dhakacart/web@${DIGEST}`,
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
    chaos: {
      enabled: true,
      schedule: '0 21 * * *',
      experimentsNamespace: 'chaos-experiments',
      failoverServiceAccount: 'dhakacart-staging-chaos@dhakacart-staging.iam.gserviceaccount.com',
    },
  }),
  prod: parseWorkloadSettings({
    ...common('prod'),
    domain: 'dhakacart.example',
    images: {
      api: `asia-docker.pkg.dev/dhakacart-prod/dhakacart/api@${DIGEST}`,
      web: `asia-docker.pkg.dev/dhakacart-prod/dhakacart/web@${DIGEST}`,
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
    // Production joins only by a reviewed change of this flag (staging first).
    chaos: {
      enabled: false,
      schedule: '0 21 * * *',
      experimentsNamespace: 'chaos-experiments',
      failoverServiceAccount: 'dhakacart-prod-chaos@dhakacart-prod.iam.gserviceaccount.com',
    },
  }),
};
