// The platform stack's configuration contract. config.ts reads Pulumi config into this schema;
// tests build it directly. Values that the issue fixes (REGIONAL, 7 days of WAL, >= 14 backups)
// are enforced here so a stack file cannot weaken them.
import { z } from 'zod';

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)');
const powerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** `projects/<p>/locations/<location>/keyRings/<r>/cryptoKeys/<k>` */
export const KMS_KEY_ID =
  /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/;

/** Artifact Registry multi-region that contains a region (asia-south1 -> asia), if any. */
export function multiRegionOf(region: string): string | undefined {
  const prefix = region.split('-')[0]!;
  return ['asia', 'europe', 'us'].includes(prefix) ? prefix : undefined;
}

/**
 * A GitHub ref the CI identity may deploy from: exact (`refs/heads/main`) or a prefix ending in
 * `*` (`refs/tags/v*`). Quotes and backslashes are refused: the value goes into a CEL string.
 */
const githubRef = z
  .string()
  .regex(
    /^refs\/(heads|tags)\/[A-Za-z0-9._/-]+\*?$/,
    'must be refs/heads/<branch> or refs/tags/<prefix>, optionally ending in *',
  );

/** Ports one Cloud NAT address offers (65,536 less the 1,024 reserved). */
export const NAT_PORTS_PER_ADDRESS = 64_512;

/**
 * Ports the cluster can claim at its largest: each load-test node (one k6 runner, one connection
 * per virtual user to the store's one address) up to maxPortsPerVm, each general node its minimum.
 */
export function natPortsNeeded(c: {
  zones: string[];
  nat: { minPortsPerVm: number; maxPortsPerVm: number };
  cluster: { maxNodesPerZone: number; loadtest: { maxNodesPerZone: number } };
}): number {
  return (
    c.zones.length *
    (c.cluster.loadtest.maxNodesPerZone * c.nat.maxPortsPerVm +
      c.cluster.maxNodesPerZone * c.nat.minPortsPerVm)
  );
}

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
    zones: z.array(z.string()),
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
      /**
       * Who may reach the control plane's endpoint. With the private endpoint (the default) these
       * are internal ranges (a private CI runner's subnet, the operators' VPN); CI and operators
       * otherwise come through Connect Gateway, which needs no network path at all.
       */
      controlPlaneAuthorizedCidrs: z.array(z.object({ name: z.string(), cidr })),
      /** CIS GKE: false keeps the control plane off the internet (private endpoint only). */
      controlPlanePublicEndpoint: z.boolean(),
      /** Alertmanager's SMTP relay (ticket email): the only non-HTTPS egress to the internet. */
      smtpRelayCidrs: z.array(cidr),
    }),
    /**
     * Cloud NAT. Dynamic port allocation gives a busy VM (a k6 runner holding one connection per
     * virtual user to the store's single address) up to `maxPortsPerVm` ports per destination.
     */
    nat: z.object({
      /**
       * Static NAT addresses (MANUAL_ONLY): known before any traffic, so Cloud Armor can exempt
       * the cluster's own egress (the k6 runners) from its per-IP rate-limit ban. Each address
       * has 64,512 ports.
       */
      addresses: z.number().int().min(1).max(10, 'a Cloud Armor rule matches at most 10 ranges'),
      minPortsPerVm: z
        .number()
        .int()
        .min(64)
        .refine(powerOfTwo, 'must be a power of two (dynamic port allocation)'),
      maxPortsPerVm: z
        .number()
        .int()
        .max(65536)
        .refine(powerOfTwo, 'must be a power of two (dynamic port allocation)'),
    }),
    /** Application-layer Secrets encryption (CIS GKE) with a Cloud KMS key in the region. */
    kms: z.object({
      /** Use this key instead of creating one (for example a key the security team owns). */
      existingKey: z
        .string()
        .regex(KMS_KEY_ID, 'must be projects/../locations/../keyRings/../cryptoKeys/..')
        .optional(),
      rotationDays: z.number().int().min(1).max(365),
    }),
    /** Images must survive the loss of the region: a multi-region repository. */
    registry: z.object({
      location: z.enum(['asia', 'europe', 'us']),
      /**
       * The project holding the repository. Unset or equal to `project`: this stack creates it.
       * Another project (a disaster-recovery stack): this stack only lets its nodes pull from it.
       */
      project: z.string().optional(),
    }),
    /** Binary Authorization: `dry-run` audits only, until CI attests every image it builds. */
    binaryAuthorization: z.object({ enforcement: z.enum(['dry-run', 'enforce']) }),
    cluster: z.object({
      releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE']),
      machineType: z.string(),
      diskSizeGb: z.number().int().min(30),
      minNodesPerZone: z.number().int().min(1),
      maxNodesPerZone: z.number().int().min(1),
      loadtest: z.object({
        machineType: z.string(),
        maxNodesPerZone: z.number().int().min(1),
        /** k6 runners of the peak TestRun; `separate: true` puts each on its own node. */
        runners: z.number().int().min(1),
        /** Virtual users per runner: each holds one connection to the store through Cloud NAT. */
        vusPerRunner: z.number().int().min(1),
      }),
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
    /**
     * Loki's object storage (docs/adr/0403-gke-log-store.md): a multi-region bucket pair (chunks,
     * ruler), so a regional loss keeps the logs; Loki's compactor deletes after `retentionDays`.
     */
    logs: z.object({
      bucketLocation: z.enum(['ASIA', 'EU', 'US']),
      retentionDays: z.number().int().min(7).max(400),
    }),
    ci: z.object({
      githubRepository: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
      /** Refs CI may deploy from: the main branch and the release tags (`refs/tags/v*`). */
      githubRefs: z.array(githubRef).min(1),
    }),
  })
  .refine((c) => c.cluster.maxNodesPerZone >= c.cluster.minNodesPerZone, {
    message: 'maxNodesPerZone must be >= minNodesPerZone',
    path: ['cluster', 'maxNodesPerZone'],
  })
  .refine(
    (c) =>
      c.zones.length === 3 &&
      new Set(c.zones).size === 3 &&
      c.zones.every((z) => new RegExp(`^${c.region}-[a-z]$`).test(z)),
    {
      message:
        'must be exactly three different zones of the region (for example <region>-a, -b, -c)',
      path: ['zones'],
    },
  )
  .refine(
    (c) => c.cluster.loadtest.maxNodesPerZone * c.zones.length >= c.cluster.loadtest.runners,
    {
      message:
        'the load-test pool cannot hold every k6 runner: maxNodesPerZone x 3 zones must be >= runners (one runner per node)',
      path: ['cluster', 'loadtest', 'maxNodesPerZone'],
    },
  )
  .refine(
    (c) =>
      !c.network.controlPlanePublicEndpoint || c.network.controlPlaneAuthorizedCidrs.length > 0,
    {
      message: 'a public control-plane endpoint needs at least one authorized network',
      path: ['network', 'controlPlaneAuthorizedCidrs'],
    },
  )
  .refine(
    (c) =>
      !c.network.controlPlanePublicEndpoint ||
      c.network.controlPlaneAuthorizedCidrs.every((n) => n.cidr !== '0.0.0.0/0'),
    {
      message: '0.0.0.0/0 is not an authorized network',
      path: ['network', 'controlPlaneAuthorizedCidrs'],
    },
  )
  .refine((c) => !c.kms.existingKey || KMS_KEY_ID.exec(c.kms.existingKey)?.[2] === c.region, {
    message:
      'the KMS key must be in the cluster region (GKE requires it; a key elsewhere fails with its region)',
    path: ['kms', 'existingKey'],
  })
  .refine((c) => c.nat.maxPortsPerVm >= c.nat.minPortsPerVm, {
    message: 'maxPortsPerVm must be >= minPortsPerVm',
    path: ['nat', 'maxPortsPerVm'],
  })
  .refine((c) => c.nat.maxPortsPerVm >= c.cluster.loadtest.vusPerRunner, {
    message:
      'Cloud NAT would cap a k6 runner below its virtual users: maxPortsPerVm must be >= cluster.loadtest.vusPerRunner',
    path: ['nat', 'maxPortsPerVm'],
  })
  .refine((c) => c.nat.addresses * NAT_PORTS_PER_ADDRESS >= natPortsNeeded(c), {
    message:
      'too few NAT addresses: every load-test node at maxPortsPerVm and every general node at minPortsPerVm need more than addresses x 64,512 ports',
    path: ['nat', 'addresses'],
  })
  .refine((c) => multiRegionOf(c.region) === c.registry.location, {
    message: 'the registry must be the multi-region that contains the region (asia, europe or us)',
    path: ['registry', 'location'],
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
