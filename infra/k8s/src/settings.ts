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

/**
 * A third-party tool image the programs run (k6 runners, gcloud, kubectl, psql): always pinned by
 * digest. A tag alone can be re-pushed; the digest is the image that was reviewed.
 */
export const digestImageRef = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?@sha256:[a-f0-9]{64}$/,
    'must be pinned by digest: registry/path[:tag]@sha256:<64 hex digits>',
  );
const cron = z
  .string()
  .regex(
    /^(\S+\s+){4}\S+$/,
    'must be a five-field cron expression (minute hour day month weekday)',
  );
const gsaEmail = z
  .string()
  .regex(
    /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9]+\.iam\.gserviceaccount\.com$/,
    'must be a Google service account email',
  );
const zone = z
  .string()
  .regex(/^[a-z]+-[a-z]+\d-[a-z]$/, 'must be a GCP zone such as asia-south1-a');

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
  k6OperatorNamespace: dns1123,
  externalSecretsNamespace: dns1123,
  domain: hostname,
  gcpProject: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, 'must be a GCP project id'),
  region: z.string().regex(/^[a-z]+-[a-z]+\d$/, 'must be a GCP region such as asia-south1'),
  /** The region's three zones (zone-loss experiments select pods by zone). */
  zones: z.array(zone).length(3),
  images: z.object({ api: imageRef, web: imageRef }),
  /** Third-party tool images, each pinned by digest. */
  toolImages: z.object({
    /** grafana/k6: the k6-operator runners (AGPL, deployed unmodified, never run here). */
    k6: digestImageRef,
    /** A kubectl image with a POSIX shell (the nightly load test and the restore drill). */
    kubectl: digestImageRef,
    /** google-cloud-cli: failovers and the point-in-time clone. */
    gcloud: digestImageRef,
    /** PostgreSQL client (psql) for the clone's verification. */
    postgres: digestImageRef,
  }),
  loggingNamespace: dns1123,
  api: z.object({ resources, scaling, logLevel: z.enum(['debug', 'info', 'warn', 'error']) }),
  web: z.object({ resources, scaling }),
  database: z.object({
    /** The Cloud SQL instance's name (failover, point-in-time clone). */
    instance: dns1123,
    host: z.string().min(1),
    port: z.number().int().positive(),
    name: dns1123,
    user: z.string().min(1),
  }),
  redis: z.object({
    /** The Memorystore instance's name (failover). */
    instance: dns1123,
    host: z.string().min(1),
    port: z.number().int().positive(),
  }),
  /** CIDRs of the Private Service Access range that Cloud SQL and Memorystore live in. */
  dataEgressCidrs: z.array(cidr).min(1),
  /** Source ranges of Google's front ends and health checkers (global external ALB). */
  loadBalancerSourceCidrs: z.array(cidr).min(1),
  /** The cluster's own ranges, for the add-on namespaces' network policies. */
  network: z.object({
    /** The control plane's private endpoint: the API server and admission webhook callers. */
    controlPlaneCidr: cidr,
    /** Node IPs: kubelets and host-network exporters Prometheus scrapes. */
    nodesCidr: cidr,
    /** Alertmanager's SMTP relay (ticket email). */
    smtpRelayCidrs: z.array(cidr),
  }),
  /** Where Alertmanager pages (chat + SMS) and tickets (email) go; credentials by Secret Manager id. */
  alerting: z.object({
    slackChannel: z.string().startsWith('#'),
    smsWebhookUrl: z
      .url()
      .refine((u) => u.startsWith('https://'), 'the SMS gateway must be reached over HTTPS'),
    emailTo: z.email(),
    emailFrom: z.email(),
    /** host:port of the SMTP relay (submission, STARTTLS). */
    smarthost: z.string().regex(/^[a-z0-9.-]+:\d+$/, 'must be host:port'),
    smtpUser: z.string().min(1),
    secretIds: z.object({
      slackWebhookUrl: z.string().min(1),
      smsToken: z.string().min(1),
      smtpPassword: z.string().min(1),
    }),
  }),
  /**
   * The peak TestRun's runners (one per load-test node, `separate: true`): how many, the virtual
   * users each is sized for, and the most nodes the load-test pool can grow to (platform), with
   * each runner's resources (docs/adr/0503-k6-runner-sizing.md).
   */
  loadtest: z.object({
    runners: z.number().int().min(1),
    vusPerRunner: z.number().int().min(1),
    poolMaxNodes: z.number().int().min(1),
    runnerResources: resources,
    /** The nightly run (staging only: a production run would spend the real error budget). */
    nightly: z.object({ enabled: z.boolean(), schedule: cron }),
  }),
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
    /** The weekly restore drill: Velero into a scratch namespace, Cloud SQL into a clone. */
    drill: z.object({
      schedule: cron,
      /** Where Velero restores the app namespace's objects (never a live namespace). */
      scratchNamespace: dns1123,
      /** The point-in-time clone: how far back, and its Google identity (Workload Identity). */
      pointInTimeMinutesAgo: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60),
      serviceAccount: gsaEmail,
    }),
  }),
  /**
   * Chaos Mesh: the catalogue's experiments as a nightly Workflow (staging; production only when
   * `enabled` says so), run from their own namespace under a failover-only Google identity.
   */
  chaos: z.object({
    enabled: z.boolean(),
    schedule: cron,
    experimentsNamespace: dns1123,
    failoverServiceAccount: gsaEmail,
  }),
  /** Cloud CDN for the public catalogue reads (GCPHTTPFilter, GKE 1.35.2-gke.1751000 or later). */
  cdn: z.object({ enabled: z.boolean() }),
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
