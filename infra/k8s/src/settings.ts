// The one input to every object builder. Pulumi's workloads stack fills it from config and
// platform outputs; the render CLI fills it from environments.ts. Validated here, once.
import { z } from 'zod';

const dns1123 = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(63);
const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a lower-case DNS name');
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR');
const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|Mi|Gi)?$/, 'must be a Kubernetes quantity like 250m or 512Mi');
/** An image pinned by digest, or by an immutable tag that is not `latest`. */
export const imageRef = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(@sha256:[a-f0-9]{64}|:[A-Za-z0-9._-]+)$/,
    'must be registry/path:tag or @sha256:digest',
  )
  .refine((s) => !/:latest$/.test(s), 'the :latest tag is not allowed');

const resources = z.object({
  cpuRequest: quantity,
  memoryRequest: quantity,
  cpuLimit: quantity,
  memoryLimit: quantity,
});

const scaling = z
  .object({
    minReplicas: z.number().int().min(2),
    maxReplicas: z.number().int().min(2),
    targetCpuUtilization: z.number().int().min(10).max(95),
    /** Requests per second one pod is sized for (GKE traffic-based autoscaling). */
    maxRatePerEndpoint: z.number().int().positive(),
  })
  .refine((s) => s.maxReplicas >= s.minReplicas, 'maxReplicas must be >= minReplicas');

export const WorkloadSettingsSchema = z.object({
  environment: z.enum(['staging', 'prod']),
  namespace: dns1123,
  monitoringNamespace: dns1123,
  veleroNamespace: dns1123,
  loadtestNamespace: dns1123,
  chaosNamespace: dns1123,
  domain: hostname,
  gcpProject: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
  images: z.object({ api: imageRef, web: imageRef }),
  api: z.object({ resources, scaling, logLevel: z.enum(['debug', 'info', 'warn', 'error']) }),
  web: z.object({ resources, scaling }),
  database: z.object({
    host: z.string().min(1),
    port: z.number().int().positive(),
    name: dns1123,
    user: z.string().min(1),
  }),
  redis: z.object({ host: z.string().min(1), port: z.number().int().positive() }),
  /** CIDRs of the Private Service Access range that Cloud SQL and Memorystore live in. */
  dataEgressCidrs: z.array(cidr).min(1),
  /** Source ranges of Google's front ends and health checkers (global external ALB). */
  loadBalancerSourceCidrs: z.array(cidr).min(1),
  secretManager: z.object({
    dbPassword: z.string().min(1),
    redisAuth: z.string().min(1),
    sessionKey: z.string().min(1),
  }),
  gateway: z.object({
    staticAddressName: z.string().min(1),
    certificateMapName: z.string().min(1),
    sslPolicyName: z.string().min(1),
    securityPolicyName: z.string().min(1),
  }),
  /** PEM bundle of the Cloud SQL and Memorystore server CAs (public certificates). */
  dataTierCaBundle: z.string().min(1),
  backups: z.object({
    storageLocation: z.string().min(1),
    dailyTtl: z.string(),
    hourlyTtl: z.string(),
  }),
  chaos: z.object({ enabled: z.boolean() }),
});

export type WorkloadSettings = z.infer<typeof WorkloadSettingsSchema>;

export class InvalidSettingsError extends Error {
  readonly code = 'INVALID_WORKLOAD_SETTINGS';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid workload settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

export function parseWorkloadSettings(input: unknown): WorkloadSettings {
  const result = WorkloadSettingsSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidSettingsError(
      result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return result.data;
}
