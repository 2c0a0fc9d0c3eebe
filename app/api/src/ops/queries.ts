// The ops board's fixed set of PromQL queries. Nothing is interpolated into them and nothing from
// the request reaches them: the browser can only ask "what is the status", never "run this".
// The expressions follow the SLO layer (Sloth's recording-rule names and labels) and the service
// overview dashboard (slo/dashboards/src/service-overview.ts).
import type { PrometheusClient, PromAlert, Sample, Series } from './prometheus';

const SWARM_SERVICE = 'container_label_com_docker_swarm_service_name';
const REAL_DISKS = 'fstype!~"tmpfs|overlay|squashfs"';
// Health probes are not users: a replica that is not ready answers every probe with 503, which
// would otherwise swamp the service's error ratio during a data-tier outage or a deploy.
const NOT_PROBES = 'route!~"/livez|/readyz"';

export const INSTANT_QUERIES = {
  sloObjective: 'slo:objective:ratio',
  sloErrorRatio30d: 'slo:sli_error:ratio_rate30d',
  sloBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
  // Burn rate per window = the window's error ratio over the budget ratio (labels keep sloth_window).
  sloBurnRates:
    '{__name__=~"slo:sli_error:ratio_rate(5m|1h|6h|1d|3d)"} / on (sloth_id) group_left slo:error_budget:ratio',
  // One scrape target per replica (the lab discovers tasks.<service> through Swarm DNS).
  targetsUp: 'sum by (job) (up)',
  targetsTotal: 'count by (job) (up)',
  // From a Swarm replica exporter, where one runs (the infrastructure alerts assume it).
  replicasDesired: 'max by (service) (swarm_service_replicas_desired)',
  replicasRunning: 'max by (service) (swarm_service_replicas_running)',
  // `or ... * 0`: traffic without any 5xx is a 0 ratio, not "no data".
  errorRatio5m: `(sum by (job) (rate(http_requests_total{${NOT_PROBES},status=~"5.."}[5m])) or sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m])) * 0) / sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m]))`,
  p95Seconds: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${NOT_PROBES}}[5m])))`,
  cpuCores: 'sum by (job) (rate(process_cpu_seconds_total[5m]))',
  memoryBytes: 'sum by (job) (process_resident_memory_bytes)',
  // cAdvisor, where it runs: the busiest container of each Swarm service against its limit.
  cpuOfLimit: `max by (service) (label_replace(sum by (name, ${SWARM_SERVICE}) (rate(container_cpu_usage_seconds_total{name!=""}[5m])) / on (name, ${SWARM_SERVICE}) (sum by (name, ${SWARM_SERVICE}) (container_spec_cpu_quota{name!=""} > 0) / sum by (name, ${SWARM_SERVICE}) (container_spec_cpu_period{name!=""})), "service", "$1", "${SWARM_SERVICE}", "(.+)"))`,
  memoryOfLimit: `max by (service) (label_replace(container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0), "service", "$1", "${SWARM_SERVICE}", "(.+)"))`,
  diskFree: `min by (instance) (node_filesystem_avail_bytes{${REAL_DISKS}} / node_filesystem_size_bytes{${REAL_DISKS}})`,
} as const;

export const RANGE_QUERIES = {
  sloBurnRate: 'slo:current_burn_rate:ratio',
  serviceRps: `sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m]))`,
  serviceCpu: 'sum by (job) (rate(process_cpu_seconds_total[5m]))',
} as const;

/** Sparklines: the last hour at one point a minute. */
export const SPARK_WINDOW_SECONDS = 3600;
export const SPARK_STEP_SECONDS = 60;

export type InstantName = keyof typeof INSTANT_QUERIES;
export type RangeName = keyof typeof RANGE_QUERIES;

/** Everything the board shows, as Prometheus said it at one instant. */
export interface OpsObservation {
  at: number;
  instant: Record<InstantName, Sample[]>;
  range: Record<RangeName, Series[]>;
  alerts: PromAlert[];
}

export interface OpsSource {
  read(atSeconds: number): Promise<OpsObservation>;
}

/** Runs the whole fixed set at once; any failure rejects (the board is all or nothing). */
export function prometheusOpsSource(client: PrometheusClient): OpsSource {
  return {
    async read(at) {
      const start = at - SPARK_WINDOW_SECONDS;
      const instantNames = Object.keys(INSTANT_QUERIES) as InstantName[];
      const rangeNames = Object.keys(RANGE_QUERIES) as RangeName[];
      const [instant, range, alerts] = await Promise.all([
        Promise.all(instantNames.map((n) => client.query(INSTANT_QUERIES[n], at))),
        Promise.all(
          rangeNames.map((n) => client.queryRange(RANGE_QUERIES[n], start, at, SPARK_STEP_SECONDS)),
        ),
        client.alerts(),
      ]);
      return {
        at,
        instant: Object.fromEntries(
          instantNames.map((n, i) => [n, instant[i]!]),
        ) as OpsObservation['instant'],
        range: Object.fromEntries(
          rangeNames.map((n, i) => [n, range[i]!]),
        ) as OpsObservation['range'],
        alerts,
      };
    },
  };
}
