// The ops board's fixed set of PromQL queries. Nothing is interpolated into them and nothing from
// the request reaches them: the browser can only ask "what is the status", never "run this".
// The expressions follow the SLO layer (Sloth's recording-rule names and labels) and the service
// overview dashboard (slo/dashboards/src/service-overview.ts).
//
// Replica counts and container CPU/memory against limits come from different series on each
// platform (OPS_PLATFORM): the lab's Swarm replica exporter and cAdvisor's Swarm labels, or
// kube-state-metrics and the kubelet's cAdvisor on GKE. So does the api's error ratio as
// customers see it, at the edge: HAProxy's per-backend response codes in the lab, the load
// balancer's request counts on GKE (the series the availability SLOs read, ADR 0202, from the
// SLO layer's slo/src/spec/edge-sources.ts; a test keeps the two in step). PLATFORM_QUERIES is
// that one mapping; both sides answer with a `service` (or `job`) label the board matches to
// the Prometheus job.
import type { PrometheusClient, PromAlert, Sample, Series } from './prometheus';
import { readGameday, readLoadRun, settle, type LoadRunObservation, type Reading } from './pushed';

const SWARM_SERVICE = 'container_label_com_docker_swarm_service_name';
const REAL_DISKS = 'fstype!~"tmpfs|overlay|squashfs"';
// Health probes are not users: a replica that is not ready answers every probe with 503, which
// would otherwise swamp the service's error ratio during a data-tier outage or a deploy.
const NOT_PROBES = 'route!~"/livez|/readyz"';

export const OPS_PLATFORMS = ['swarm', 'gke'] as const;
export type OpsPlatform = (typeof OPS_PLATFORMS)[number];

/**
 * GKE: a Deployment's pods are `<deployment>-<replicaset hash>-<5 chars>`; the board's
 * `service` is the Deployment name, which is also its Service's and so its scrape job's name.
 */
const DEPLOYMENT_OF_POD = '"service", "$1", "pod", "^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$"';
const K8S_CONTAINERS = 'container!="", container!="POD"';
const perContainerOfLimit = (usage: string, resource: string) =>
  `max by (service) (label_replace(${usage} / on (namespace, pod, container) (sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="${resource}"}) > 0), ${DEPLOYMENT_OF_POD}))`;

type PlatformQuery =
  'replicasDesired' | 'replicasRunning' | 'cpuOfLimit' | 'memoryOfLimit' | 'edgeErrorRatio5m';

/**
 * The 5xx share of everything the edge answered for the api, labelled job="api" so it lands on
 * the api's tile. `or ... * 0`: an edge that answered without any 5xx is 0, not "no data".
 */
const edgeErrorRatio = (metric: string, api: string, error: string): string =>
  `label_replace((sum(rate(${metric}{${api},${error}}[5m])) or sum(rate(${metric}{${api}}[5m])) * 0) / sum(rate(${metric}{${api}}[5m])), "job", "api", "", "")`;
/** The lab edge's api backends: one per SLO journey, and `api` for the rest of /api. */
export const LAB_EDGE_API = 'job="edge",proxy=~"api|api_.+"';
/** GKE: the load balancer's URL map rules under /api (one per journey, and /api itself). */
export const GKE_EDGE_API = 'matched_url_path_rule=~"/api(/.*)?"';

export const PLATFORM_QUERIES: Record<OpsPlatform, Record<PlatformQuery, string>> = {
  swarm: {
    // From a Swarm replica exporter, where one runs (the infrastructure alerts assume it).
    replicasDesired: 'max by (service) (swarm_service_replicas_desired)',
    replicasRunning: 'max by (service) (swarm_service_replicas_running)',
    // cAdvisor, where it runs: the busiest container of each Swarm service against its limit.
    cpuOfLimit: `max by (service) (label_replace(sum by (name, ${SWARM_SERVICE}) (rate(container_cpu_usage_seconds_total{name!=""}[5m])) / on (name, ${SWARM_SERVICE}) (sum by (name, ${SWARM_SERVICE}) (container_spec_cpu_quota{name!=""} > 0) / sum by (name, ${SWARM_SERVICE}) (container_spec_cpu_period{name!=""})), "service", "$1", "${SWARM_SERVICE}", "(.+)"))`,
    memoryOfLimit: `max by (service) (label_replace(container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0), "service", "$1", "${SWARM_SERVICE}", "(.+)"))`,
    // HAProxy's exporter (job edge): its own 503s/504s and cache hits included.
    edgeErrorRatio5m: edgeErrorRatio(
      'haproxy_backend_http_responses_total',
      LAB_EDGE_API,
      'code="5xx"',
    ),
  },
  gke: {
    // kube-state-metrics: what the Deployment (its HPA) wants, and how many replicas are ready.
    // label_replace overwrites the `service` label the scrape itself adds (the exporter's Service).
    replicasDesired: `max by (service) (label_replace(kube_deployment_spec_replicas, "service", "$1", "deployment", "(.+)"))`,
    replicasRunning: `max by (service) (label_replace(kube_deployment_status_replicas_available, "service", "$1", "deployment", "(.+)"))`,
    // The kubelet's cAdvisor against kube-state-metrics' limits: the busiest container.
    cpuOfLimit: perContainerOfLimit(
      `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${K8S_CONTAINERS}}[5m]))`,
      'cpu',
    ),
    memoryOfLimit: perContainerOfLimit(
      `sum by (namespace, pod, container) (container_memory_working_set_bytes{${K8S_CONTAINERS}})`,
      'memory',
    ),
    // The load balancer's request_count through the stackdriver exporter (a counter with
    // --monitoring.aggregate-deltas); its own 502/503s included.
    edgeErrorRatio5m: edgeErrorRatio(
      'stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count',
      GKE_EDGE_API,
      'response_code_class="500"',
    ),
  },
};

const COMMON_INSTANT = {
  sloObjective: 'slo:objective:ratio',
  sloErrorRatio30d: 'slo:sli_error:ratio_rate30d',
  sloBudgetRemaining: 'slo:period_error_budget_remaining:ratio',
  // Burn rate per window = the window's error ratio over the budget ratio (labels keep sloth_window).
  sloBurnRates:
    '{__name__=~"slo:sli_error:ratio_rate(5m|1h|6h|1d|3d)"} / on (sloth_id) group_left slo:error_budget:ratio',
  // One scrape target per replica (the lab discovers tasks.<service> through Swarm DNS).
  targetsUp: 'sum by (job) (up)',
  targetsTotal: 'count by (job) (up)',
  // `or ... * 0`: traffic without any 5xx is a 0 ratio, not "no data".
  errorRatio5m: `(sum by (job) (rate(http_requests_total{${NOT_PROBES},status=~"5.."}[5m])) or sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m])) * 0) / sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m]))`,
  p95Seconds: `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{${NOT_PROBES}}[5m])))`,
  cpuCores: 'sum by (job) (rate(process_cpu_seconds_total[5m]))',
  memoryBytes: 'sum by (job) (process_resident_memory_bytes)',
  diskFree: `min by (instance) (node_filesystem_avail_bytes{${REAL_DISKS}} / node_filesystem_size_bytes{${REAL_DISKS}})`,
} as const;

/** The whole instant set for one platform. */
export function instantQueries(platform: OpsPlatform): Record<InstantName, string> {
  return { ...COMMON_INSTANT, ...PLATFORM_QUERIES[platform] };
}

/** The lab's (Swarm) set: the default, unchanged. */
export const INSTANT_QUERIES = instantQueries('swarm');

export const RANGE_QUERIES = {
  sloBurnRate: 'slo:current_burn_rate:ratio',
  serviceRps: `sum by (job) (rate(http_requests_total{${NOT_PROBES}}[5m]))`,
  serviceCpu: 'sum by (job) (rate(process_cpu_seconds_total[5m]))',
} as const;

/** Sparklines: the last hour at one point a minute. */
export const SPARK_WINDOW_SECONDS = 3600;
export const SPARK_STEP_SECONDS = 60;

export type InstantName = keyof typeof COMMON_INSTANT | PlatformQuery;
export type RangeName = keyof typeof RANGE_QUERIES;

/** Everything the board shows, as Prometheus said it at one instant. */
export interface OpsObservation {
  at: number;
  instant: Record<InstantName, Sample[]>;
  range: Record<RangeName, Series[]>;
  alerts: PromAlert[];
  /**
   * The Pushgateway's series (./pushed.ts), read beside the fixed set: a failure there leaves
   * the reading's error for the tile instead of failing the board.
   */
  loadRun: Reading<LoadRunObservation | null>;
  gameday: Reading<Sample[]>;
}

export interface OpsSource {
  read(atSeconds: number): Promise<OpsObservation>;
}

/**
 * Runs the whole fixed set at once; any failure there rejects (the board is all or nothing). The
 * load-run and game-day tiles' reads run beside it and never reject.
 */
export function prometheusOpsSource(
  client: PrometheusClient,
  platform: OpsPlatform = 'swarm',
): OpsSource {
  const queries = instantQueries(platform);
  return {
    async read(at) {
      const start = at - SPARK_WINDOW_SECONDS;
      const instantNames = Object.keys(queries) as InstantName[];
      const rangeNames = Object.keys(RANGE_QUERIES) as RangeName[];
      const pushed = Promise.all([
        settle(readLoadRun(client, at)),
        settle(readGameday(client, at)),
      ]);
      const [instant, range, alerts] = await Promise.all([
        Promise.all(instantNames.map((n) => client.query(queries[n], at))),
        Promise.all(
          rangeNames.map((n) => client.queryRange(RANGE_QUERIES[n], start, at, SPARK_STEP_SECONDS)),
        ),
        client.alerts(),
      ]);
      const [loadRun, gameday] = await pushed;
      return {
        at,
        instant: Object.fromEntries(
          instantNames.map((n, i) => [n, instant[i]!]),
        ) as OpsObservation['instant'],
        range: Object.fromEntries(
          rangeNames.map((n, i) => [n, range[i]!]),
        ) as OpsObservation['range'],
        alerts,
        loadRun,
        gameday,
      };
    },
  };
}
