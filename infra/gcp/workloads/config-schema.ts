// The workloads stack's configuration contract: which platform stack to read, which image
// digests to run, and per-environment sizing. Everything else comes from platform outputs.
import { z } from 'zod';
import { digestImageRef, imageRef } from '@dhakacart/infra-k8s/src/settings';

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi)?$/);
const resources = z.object({
  cpuRequest: quantity,
  memoryRequest: quantity,
  cpuLimit: quantity,
  memoryLimit: quantity,
});
const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression');
const scaling = z.object({
  minReplicas: z.number().int().min(2),
  maxReplicas: z.number().int().min(2),
  targetCpuUtilization: z.number().int().min(10).max(95),
  maxRatePerEndpoint: z.number().int().positive(),
});

export const WorkloadsConfigSchema = z.object({
  /** `<org>/dhakacart-platform/<stack>` */
  platformStack: z
    .string()
    .regex(/^[^/]+\/dhakacart-platform\/[^/]+$/, 'must be <org>/dhakacart-platform/<stack>'),
  images: z.object({ api: imageRef, web: imageRef }),
  api: z.object({ logLevel: z.enum(['debug', 'info', 'warn', 'error']), resources, scaling }),
  web: z.object({ resources, scaling }),
  /** Third-party tools the jobs run, each pinned by digest (a tag alone is refused). */
  toolImages: z.object({
    k6: digestImageRef,
    kubectl: digestImageRef,
    gcloud: digestImageRef,
    postgres: digestImageRef,
  }),
  /** The peak TestRun's runner resources (ADR 0503) and the nightly run (staging only). */
  loadtest: z.object({
    runnerResources: resources,
    nightly: z.object({ enabled: z.boolean(), schedule: cron }),
  }),
  /** The nightly game day; production only when a reviewed change sets `enabled`. */
  chaos: z.object({ enabled: z.boolean(), schedule: cron }),
  /** The weekly restore drill (Velero into a scratch namespace, a point-in-time Cloud SQL clone). */
  backups: z.object({
    drill: z.object({
      schedule: cron,
      pointInTimeMinutesAgo: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60),
    }),
  }),
  /** Cloud CDN on the catalogue reads (needs GKE 1.35.2-gke.1751000 or later). */
  cdn: z.object({ enabled: z.boolean() }),
  /** Alertmanager's receivers (not secret); their credentials are Secret Manager secrets. */
  alerting: z.object({
    slackChannel: z.string(),
    smsWebhookUrl: z.string(),
    emailTo: z.string(),
    emailFrom: z.string(),
    smarthost: z.string(),
    smtpUser: z.string(),
  }),
  /** Loki's component replicas (3 keeps a write quorum through a zone loss). */
  logs: z.object({ replicas: z.number().int().min(1).max(5) }),
  monitoring: z.object({
    prometheusReplicas: z.number().int().min(1).max(3),
    retention: z.string().regex(/^\d+[dh]$/),
    storageGi: z.number().int().min(10),
  }),
});

export type WorkloadsConfig = z.infer<typeof WorkloadsConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'INVALID_STACK_CONFIG';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(
      `invalid stack configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
}

export function parseWorkloadsConfig(input: unknown): WorkloadsConfig {
  const r = WorkloadsConfigSchema.safeParse(input);
  if (!r.success)
    throw new ConfigError(
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return r.data;
}
