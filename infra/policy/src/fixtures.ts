// Valid fixtures: the minimum each policy needs to pass. Tests clone one and break one field.
import type { Props } from './policies/types';

export const validSqlInstance = (): Props => ({
  databaseVersion: 'POSTGRES_16',
  region: 'asia-south1',
  deletionProtection: true,
  settings: {
    tier: 'db-custom-2-7680',
    availabilityType: 'REGIONAL',
    deletionProtectionEnabled: true,
    ipConfiguration: {
      ipv4Enabled: false,
      privateNetwork: 'projects/p/global/networks/vpc',
      sslMode: 'ENCRYPTED_ONLY',
    },
    databaseFlags: [
      { name: 'log_connections', value: 'on' },
      { name: 'log_disconnections', value: 'on' },
      { name: 'cloudsql.enable_pgaudit', value: 'on' },
      { name: 'pgaudit.log', value: 'ddl,role' },
      { name: 'log_min_duration_statement', value: '-1' },
    ],
    backupConfiguration: {
      enabled: true,
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 7,
      location: 'asia-southeast1',
      backupRetentionSettings: { retainedBackups: 14, retentionUnit: 'COUNT' },
    },
  },
});

export const validRedis = (): Props => ({
  tier: 'STANDARD_HA',
  memorySizeGb: 1,
  authEnabled: true,
  transitEncryptionMode: 'SERVER_AUTHENTICATION',
  connectMode: 'PRIVATE_SERVICE_ACCESS',
});

export const validCluster = (): Props => ({
  location: 'asia-south1',
  privateClusterConfig: {
    enablePrivateNodes: true,
    enablePrivateEndpoint: true,
    masterIpv4CidrBlock: '172.16.0.0/28',
  },
  masterAuthorizedNetworksConfig: {
    cidrBlocks: [{ displayName: 'private-runners', cidrBlock: '10.10.0.0/20' }],
    gcpPublicCidrsAccessEnabled: false,
  },
  workloadIdentityConfig: { workloadPool: 'p.svc.id.goog' },
  enableShieldedNodes: true,
  databaseEncryption: {
    state: 'ENCRYPTED',
    keyName: 'projects/p/locations/asia-south1/keyRings/dhakacart-prod-keys/cryptoKeys/gke-secrets',
  },
  binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
});

export const validNodePool = (): Props => ({
  name: 'app',
  networkConfig: { enablePrivateNodes: true },
});

export const validBucket = (): Props => ({
  location: 'ASIA',
  versioning: { enabled: true },
  uniformBucketLevelAccess: true,
  publicAccessPrevention: 'enforced',
});

export const validFirewall = (): Props => ({
  direction: 'INGRESS',
  allows: [{ protocol: 'tcp', ports: ['3000'] }],
  sourceRanges: ['35.191.0.0/16', '130.211.0.0/22'],
});

export const validDeployment = (): Props => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'dhakacart' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: { labels: { app: 'api', tier: 'backend' } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10001 },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            nodeTaintsPolicy: 'Honor',
            labelSelector: { matchLabels: { app: 'api' } },
          },
        ],
        containers: [
          {
            name: 'api',
            image: 'asia-south1-docker.pkg.dev/p/dhakacart/api@sha256:' + 'a'.repeat(64),
            resources: {
              requests: { cpu: '250m', memory: '256Mi' },
              limits: { cpu: '1', memory: '512Mi' },
            },
            readinessProbe: { httpGet: { path: '/readyz', port: 3000 } },
            livenessProbe: { httpGet: { path: '/livez', port: 3000 } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    },
  },
});

export const validJob = (): Props => {
  const d = validDeployment();
  const container = { ...d.spec.template.spec.containers[0] };
  delete container.readinessProbe;
  delete container.livenessProbe;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'dhakacart' },
    spec: {
      template: {
        spec: {
          ...d.spec.template.spec,
          restartPolicy: 'Never',
          containers: [{ ...container, name: 'migrate' }],
        },
      },
    },
  };
};

export const validPdb = (): Props => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'api', namespace: 'dhakacart' },
  spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } },
});

export const validHpa = (): Props => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api', namespace: 'dhakacart' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    minReplicas: 3,
    maxReplicas: 10,
  },
});

export const validNamespace = (name = 'dhakacart'): Props => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
});

export const validDefaultDeny = (namespace = 'dhakacart'): Props => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny-all', namespace },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
});

export const validRelease = (namespace = 'monitoring'): Props => ({
  name: 'kube-prometheus-stack',
  chart: 'kube-prometheus-stack',
  version: '72.9.1',
  namespace,
  createNamespace: false,
});
