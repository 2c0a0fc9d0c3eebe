// The platform stack's configuration contract. config.ts reads Pulumi config into this schema;
// tests build it directly. Values that the issue fixes (REGIONAL, 7 days of WAL, >= 14 backups)
// are enforced here so a stack file cannot weaken them.
import { z } from 'zod';

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)');

interface MaintenanceWindow {
  startTime: string;
  endTime: string;
  recurrence: string;
}

export function maintenanceWindowHours(m: MaintenanceWindow): number {
  return (Date.parse(m.endTime) - Date.parse(m.startTime)) / 3_600_000;
}

/** GKE rejects recurring windows that allow less than 48 hours of maintenance per 32 days. */
export function maintenanceHoursPer32Days(m: MaintenanceWindow): number {
  const days = m.recurrence.startsWith('FREQ=DAILY')
    ? 32
    : ((/BYDAY=([A-Z,]+)/.exec(m.recurrence)?.[1]?.split(',').length ?? 0) * 32) / 7;
  return maintenanceWindowHours(m) * days;
}

export const PlatformConfigSchema = z
  .object({
    project: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
    region: z.string().regex(/^[a-z]+-[a-z]+\d$/, 'must be a GCP region such as asia-south1'),
    environment: z.enum(['staging', 'prod']),
    /** Exactly three zones of the region: nodes, Cloud SQL HA and Memorystore spread over them. */
    zones: z.array(z.string()).length(3),
    network: z.object({
      nodesCidr: cidr,
      podsCidr: cidr,
      servicesCidr: cidr,
      controlPlaneCidr: cidr.refine(
        (c) => c.endsWith('/28'),
        'the GKE control plane range must be a /28',
      ),
      /** Private Service Access range for Cloud SQL and Memorystore. */
      privateServicesCidr: cidr,
      /** Who may reach the cluster's control plane (CI runners, the operators' VPN). */
      controlPlaneAuthorizedCidrs: z.array(z.object({ name: z.string(), cidr })).min(1),
    }),
    cluster: z.object({
      releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE']),
      machineType: z.string(),
      diskSizeGb: z.number().int().min(30),
      minNodesPerZone: z.number().int().min(1),
      maxNodesPerZone: z.number().int().min(1),
      loadtest: z.object({ machineType: z.string(), maxNodesPerZone: z.number().int().min(1) }),
      maintenance: z
        .object({
          startTime: z.iso.datetime(),
          endTime: z.iso.datetime(),
          recurrence: z
            .string()
            .regex(
              /^FREQ=(DAILY|WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*)$/,
              'must be FREQ=DAILY or FREQ=WEEKLY;BYDAY=..',
            ),
        })
        .refine(
          (m) => maintenanceWindowHours(m) >= 4,
          'a maintenance window must last at least 4 hours',
        )
        .refine(
          (m) => maintenanceHoursPer32Days(m) >= 48,
          'GKE needs at least 48 h of maintenance windows in any 32 days',
        ),
    }),
    database: z.object({
      version: z.string().startsWith('POSTGRES_'),
      tier: z.string(),
      diskSizeGb: z.number().int().min(10),
      backupStartTime: hhmm,
      /** A different region (or multi-region) from `region`, so a regional loss keeps backups. */
      backupLocation: z.string(),
      retainedBackups: z.number().int().min(14, 'keep at least 14 backups'),
      transactionLogRetentionDays: z.literal(7),
      maintenanceDay: z.number().int().min(1).max(7),
      maintenanceHour: z.number().int().min(0).max(23),
    }),
    redis: z.object({
      version: z.string().startsWith('REDIS_'),
      memorySizeGb: z.number().int().min(1),
      readReplicas: z.number().int().min(0).max(5),
    }),
    edge: z.object({
      domain: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/),
      /** Requests per client IP per minute before Cloud Armor answers 429 and bans. */
      rateLimitPerMinute: z.number().int().positive(),
      banDurationSec: z.number().int().positive(),
    }),
    backups: z.object({
      bucketLocation: z.string(),
      noncurrentVersionDays: z.number().int().min(7),
      softDeleteDays: z.number().int().min(7).max(90),
    }),
    ci: z.object({
      githubRepository: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
      githubRef: z.string().startsWith('refs/'),
    }),
  })
  .refine((c) => c.cluster.maxNodesPerZone >= c.cluster.minNodesPerZone, {
    message: 'maxNodesPerZone must be >= minNodesPerZone',
    path: ['cluster', 'maxNodesPerZone'],
  })
  .refine((c) => c.zones.every((z) => z.startsWith(`${c.region}-`)), {
    message: 'every zone must be in the region',
    path: ['zones'],
  })
  .refine((c) => c.database.backupLocation !== c.region, {
    message: 'backups must be stored outside the primary region',
    path: ['database', 'backupLocation'],
  });

export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'INVALID_STACK_CONFIG';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(
      `invalid stack configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
}

export function parsePlatformConfig(input: unknown): PlatformConfig {
  const r = PlatformConfigSchema.safeParse(input);
  if (!r.success)
    throw new ConfigError(
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return r.data;
}
