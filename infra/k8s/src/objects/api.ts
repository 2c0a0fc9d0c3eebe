// The API: Deployment, Service, HPA, PDB, its ServiceAccount, the ExternalSecret that brings its
// secrets from Secret Manager, the data-tier CA bundle and the migrations Job.
import { createHash } from 'node:crypto';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { WorkloadSettings } from '../settings';
import { commonLabels, selectorLabels } from './labels';
import {
  containerSecurityContext,
  drainingLifecycle,
  DRAIN_SECONDS,
  httpProbe,
  podSecurityContext,
  zoneSpread,
} from './pod';
import { horizontalAutoscaler } from './autoscaling';
import { prometheusUrl } from './monitoring';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';

export const API_PORT = 3000;
export const API_METRICS_PORT = 9464;
/** The API finishes in-flight work within 25 s of SIGTERM; the drain sleep comes first. */
export const API_SHUTDOWN_SECONDS = 25;
export const API_SECRET_NAME = 'api-secrets';
export const CA_CONFIGMAP_NAME = 'data-tier-ca';
export const CLUSTER_SECRET_STORE = 'gcp-secret-manager';

/**
 * The api's catalogue cache in Redis, as in the lab (infra/lab/stack.yml): an entry is fresh for
 * 2 s, then answers for 3 s more while one background load refreshes it. Those 5 s and the shared
 * caches' max-age make ADR 0205's staleness bound (10 s). Left unset, the api's default (60 s)
 * would let production show a price or stock a minute old.
 */
export const CATALOGUE_CACHE_ENV = {
  CACHE_TTL_SECONDS: '2',
  CACHE_STALE_WHILE_REVALIDATE_SECONDS: '3',
} as const;

const SECRET_DIR = '/var/run/secrets/dhakacart';
const CA_DIR = '/etc/dhakacart/ca';

function apiEnv(s: WorkloadSettings): IEnvVar[] {
  return [
    { name: 'NODE_ENV', value: 'production' },
    { name: 'PORT', value: String(API_PORT) },
    { name: 'METRICS_PORT', value: String(API_METRICS_PORT) },
    { name: 'PUBLIC_ORIGIN', value: `https://${s.domain}` },
    { name: 'LOG_LEVEL', value: s.api.logLevel },
    { name: 'DB_HOST', value: s.database.host },
    { name: 'DB_PORT', value: String(s.database.port) },
    { name: 'DB_NAME', value: s.database.name },
    { name: 'DB_USER', value: s.database.user },
    { name: 'DB_PASSWORD_FILE', value: `${SECRET_DIR}/db-password` },
    { name: 'DB_SSL', value: 'verify-ca' },
    { name: 'DB_SSL_CA_FILE', value: `${CA_DIR}/ca.pem` },
    { name: 'REDIS_HOST', value: s.redis.host },
    { name: 'REDIS_PORT', value: String(s.redis.port) },
    { name: 'REDIS_PASSWORD_FILE', value: `${SECRET_DIR}/redis-password` },
    { name: 'REDIS_TLS', value: 'true' },
    { name: 'SESSION_KEY_FILE', value: `${SECRET_DIR}/session-key` },
    ...Object.entries(CATALOGUE_CACHE_ENV).map(([name, value]) => ({ name, value })),
    // The ops status board (GET /api/ops/status) reads the SLO recording rules from here.
    { name: 'PROMETHEUS_URL', value: prometheusUrl(s) },
    // ...through kube-state-metrics and cAdvisor series, not the lab's Swarm ones.
    { name: 'OPS_PLATFORM', value: 'gke' },
    // Cloud SQL and Memorystore present certificates from their own private CAs; Node adds
    // these to its trust store without any change to the API.
    { name: 'NODE_EXTRA_CA_CERTS', value: `${CA_DIR}/ca.pem` },
  ];
}

function apiVolumes(): IVolume[] {
  return [
    { name: 'secrets', secret: { secretName: API_SECRET_NAME, defaultMode: 0o440 } },
    { name: 'data-tier-ca', configMap: { name: CA_CONFIGMAP_NAME } },
    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  ];
}

function apiMounts(): IVolumeMount[] {
  return [
    { name: 'secrets', mountPath: SECRET_DIR, readOnly: true },
    { name: 'data-tier-ca', mountPath: CA_DIR, readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ];
}

export function apiServiceAccount(s: WorkloadSettings): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'api', namespace: s.namespace, labels: commonLabels(s, 'api') },
    // The API calls no Google API: its secrets arrive as files through External Secrets.
    automountServiceAccountToken: false,
  };
}

export function dataTierCaConfigMap(s: WorkloadSettings): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CA_CONFIGMAP_NAME, namespace: s.namespace, labels: commonLabels(s, 'api') },
    data: { 'ca.pem': s.dataTierCaBundle },
  };
}

export function apiExternalSecret(s: WorkloadSettings): IExternalSecret {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: API_SECRET_NAME, namespace: s.namespace, labels: commonLabels(s, 'api') },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
      target: { name: API_SECRET_NAME, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'db-password', remoteRef: { key: s.secretManager.dbPassword } },
        { secretKey: 'redis-password', remoteRef: { key: s.secretManager.redisAuth } },
        { secretKey: 'session-key', remoteRef: { key: s.secretManager.sessionKey } },
      ],
    },
  };
}

export function apiDeployment(s: WorkloadSettings): IDeployment {
  const selector = selectorLabels('api');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'api',
      namespace: s.namespace,
      labels: commonLabels(s, 'api'),
      annotations: {
        // Pulumi's ConfigGroup applies the Deployment only after the migrations Job completed.
        'config.kubernetes.io/depends-on': `batch/namespaces/${s.namespace}/Job/${migrationJobName(s)}`,
      },
    },
    spec: {
      // No `replicas`: the HPA owns the count. A value here would be re-applied by every
      // `pulumi up` (server-side apply) and shrink a Deployment scaled out for a sale.
      revisionHistoryLimit: 5,
      minReadySeconds: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: commonLabels(s, 'api') },
        spec: {
          serviceAccountName: 'api',
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(),
          terminationGracePeriodSeconds: DRAIN_SECONDS + API_SHUTDOWN_SECONDS + 5,
          topologySpreadConstraints: zoneSpread(selector),
          volumes: apiVolumes(),
          containers: [
            {
              name: 'api',
              image: s.images.api,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'http', containerPort: API_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: API_METRICS_PORT, protocol: 'TCP' },
              ],
              env: apiEnv(s),
              volumeMounts: apiMounts(),
              resources: {
                requests: {
                  cpu: s.api.resources.cpuRequest,
                  memory: s.api.resources.memoryRequest,
                },
                limits: { cpu: s.api.resources.cpuLimit, memory: s.api.resources.memoryLimit },
              },
              startupProbe: httpProbe('/livez', 'http', 2, 30),
              livenessProbe: httpProbe('/livez', 'http', 10, 3),
              readinessProbe: httpProbe('/readyz', 'http', 5, 2),
              lifecycle: drainingLifecycle(),
              securityContext: containerSecurityContext(),
            },
          ],
        },
      },
    },
  };
}

export function apiService(s: WorkloadSettings): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: s.namespace, labels: commonLabels(s, 'api') },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels('api'),
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: API_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
}

export function apiAutoscaler(s: WorkloadSettings): IHorizontalPodAutoscaler {
  return horizontalAutoscaler(s, 'api', s.api.scaling);
}

export function apiDisruptionBudget(s: WorkloadSettings): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'api', namespace: s.namespace, labels: commonLabels(s, 'api') },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels('api') },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/** Jobs are immutable, so each image gets its own Job name; a new release runs a new Job. */
export function migrationJobName(s: WorkloadSettings): string {
  const digest = createHash('sha256').update(s.images.api).digest('hex').slice(0, 10);
  return `api-migrate-${digest}`;
}

export function migrationJob(s: WorkloadSettings): IJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: migrationJobName(s),
      namespace: s.namespace,
      labels: commonLabels(s, 'migrations'),
    },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: commonLabels(s, 'migrations') },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: 'api',
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(),
          volumes: apiVolumes(),
          containers: [
            {
              name: 'migrate',
              image: s.images.api,
              command: ['node', 'dist/cli/migrate.js', 'up'],
              env: apiEnv(s),
              volumeMounts: apiMounts(),
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: containerSecurityContext(),
            },
          ],
        },
      },
    },
  };
}
