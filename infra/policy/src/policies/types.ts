import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

/** Every policy is mandatory: a violation fails `pulumi preview` / `pulumi up`. */
export type DhakaPolicy = ResourceValidationPolicy | StackValidationPolicy;

// Props as the engine passes them: camelCase inputs/outputs of the resource, untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, any>;

export const TYPES = {
  sqlInstance: 'gcp:sql/databaseInstance:DatabaseInstance',
  redisInstance: 'gcp:redis/instance:Instance',
  gkeCluster: 'gcp:container/cluster:Cluster',
  gkeNodePool: 'gcp:container/nodePool:NodePool',
  bucket: 'gcp:storage/bucket:Bucket',
  firewall: 'gcp:compute/firewall:Firewall',
  serviceAccountKey: 'gcp:serviceaccount/key:Key',
  namespace: 'kubernetes:core/v1:Namespace',
  networkPolicy: 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
  helmRelease: 'kubernetes:helm.sh/v3:Release',
  deployment: 'kubernetes:apps/v1:Deployment',
  statefulSet: 'kubernetes:apps/v1:StatefulSet',
  daemonSet: 'kubernetes:apps/v1:DaemonSet',
  job: 'kubernetes:batch/v1:Job',
  cronJob: 'kubernetes:batch/v1:CronJob',
  pod: 'kubernetes:core/v1:Pod',
  pdb: 'kubernetes:policy/v1:PodDisruptionBudget',
  hpa: 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
  httpRoute: 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute',
  gcpHttpFilter: 'kubernetes:networking.gke.io/v1:GCPHTTPFilter',
} as const;
