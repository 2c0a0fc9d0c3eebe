// The workloads stack's configuration contract: which platform stack to read, which image
// digests to run, and per-environment sizing. Everything else comes from platform outputs.
import { z } from 'zod';
import { imageRef } from '@dhakacart/infra-k8s/src/settings';

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi)?$/);
const resources = z.object({
  cpuRequest: quantity,
  memoryRequest: quantity,
  cpuLimit: quantity,
  memoryLimit: quantity,
});
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
  chaos: z.object({ enabled: z.boolean() }),
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
