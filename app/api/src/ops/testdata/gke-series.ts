// Series as GKE's Prometheus (kube-prometheus-stack) stores them: kube-state-metrics v2 and the
// kubelet's cAdvisor, with the labels the exporters expose and the job/service/endpoint target
// labels the chart's ServiceMonitors add. Label sets recorded from those exporters; values are
// chosen so each tile's expected figure is known. Counters grow at `perSecond`.
export interface RecordedSeries {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Counters: the value grows by this much per second from the moment the server starts. */
  perSecond?: number;
}

const KSM = {
  job: 'kube-state-metrics',
  instance: '10.16.2.14:8080',
  service: 'kps-kube-state-metrics',
  endpoint: 'http',
};
const KUBELET = {
  job: 'kubelet',
  instance: '10.10.0.7:10250',
  service: 'kps-kubelet',
  endpoint: 'https-metrics',
  metrics_path: '/metrics/cadvisor',
  node: 'gke-dhakacart-prod-gke-app-3f1c2a7e-x0vq',
};
const GIB = 1024 ** 3;

const API_PODS = ['api-7d9c8b6f5d-abcde', 'api-7d9c8b6f5d-fghij'];
const WEB_POD = 'web-5f6d7c8b9-klmno';
const MIGRATE_POD = 'api-migrate-6a1b2a137b-pq8rs';

const deployment = (ns: string, name: string, desired: number, available: number) => [
  {
    name: 'kube_deployment_spec_replicas',
    labels: { ...KSM, namespace: ns, deployment: name },
    value: desired,
  },
  {
    name: 'kube_deployment_status_replicas_available',
    labels: { ...KSM, namespace: ns, deployment: name },
    value: available,
  },
];

const limits = (pod: string, container: string, cpuCores: number, memoryBytes: number) => [
  {
    name: 'kube_pod_container_resource_limits',
    labels: {
      ...KSM,
      namespace: 'dhakacart',
      pod,
      container,
      node: KUBELET.node,
      resource: 'cpu',
      unit: 'core',
      uid: `${pod}-uid`,
    },
    value: cpuCores,
  },
  {
    name: 'kube_pod_container_resource_limits',
    labels: {
      ...KSM,
      namespace: 'dhakacart',
      pod,
      container,
      node: KUBELET.node,
      resource: 'memory',
      unit: 'byte',
      uid: `${pod}-uid`,
    },
    value: memoryBytes,
  },
];

const cadvisor = (pod: string, container: string, cpuPerSecond: number, workingSet: number) => {
  const id = `/kubepods/burstable/pod${pod}-uid/${container || 'cgroup'}`;
  const labels = {
    ...KUBELET,
    namespace: 'dhakacart',
    pod,
    container,
    id,
    image: container
      ? `asia-docker.pkg.dev/dhakacart-prod/dhakacart/${container}@sha256:${'0'.repeat(64)}`
      : '',
    name: container ? `${container}-${pod}` : '',
  };
  return [
    { name: 'container_cpu_usage_seconds_total', labels, value: 0, perSecond: cpuPerSecond },
    { name: 'container_memory_working_set_bytes', labels, value: workingSet },
  ];
};

export const KUBE_STATE_METRICS: RecordedSeries[] = [
  // The HPA wants 6 api replicas; 5 are available (one is starting).
  ...deployment('dhakacart', 'api', 6, 5),
  ...deployment('dhakacart', 'web', 3, 3),
  ...deployment('kube-system', 'kube-dns', 2, 2),
  ...API_PODS.flatMap((p) => limits(p, 'api', 2, GIB)),
  ...limits(WEB_POD, 'web', 0.5, 128 * 1024 ** 2),
  ...limits(MIGRATE_POD, 'migrate', 1, 512 * 1024 ** 2),
];

export const CADVISOR: RecordedSeries[] = [
  // Busiest api container: 1.5 of its 2 cores (0.75) and 0.75 GiB of 1 GiB.
  ...cadvisor(API_PODS[0]!, 'api', 1.5, 0.75 * GIB),
  ...cadvisor(API_PODS[1]!, 'api', 0.5, 0.5 * GIB),
  // The pod-level cgroup (container="") and the pause container must not count.
  ...cadvisor(API_PODS[0]!, '', 1.9, 0.95 * GIB),
  ...cadvisor(API_PODS[0]!, 'POD', 0.001, 1024 ** 2),
  // web: 0.1 of 0.5 cores (0.2), 64 MiB of 128 MiB (0.5).
  ...cadvisor(WEB_POD, 'web', 0.1, 64 * 1024 ** 2),
  ...cadvisor(MIGRATE_POD, 'migrate', 0.9, 500 * 1024 ** 2),
];

/**
 * The global external Application Load Balancer's request_count as the stackdriver exporter
 * (--monitoring.aggregate-deltas) exposes it to kube-prometheus-stack: one series per URL map
 * rule and response code. 50 api requests a second, 1 of them a 502 the load balancer made
 * itself on the checkout rule (2%); the storefront's "/" fails at 10 a second, which is not the
 * api's.
 */
const LB = {
  job: 'stackdriver-exporter',
  instance: '10.16.3.9:9255',
  service: 'kps-stackdriver-exporter',
  namespace: 'monitoring',
  project_id: 'dhakacart-prod',
  url_map_name: 'gkegw1-x1y2-dhakacart-external-abcd1234',
  forwarding_rule_name: 'gkegw1-x1y2-dhakacart-external-abcd1234',
  target_proxy_name: 'gkegw1-x1y2-dhakacart-external-abcd1234',
  region: 'global',
  unit: '1',
};
const lbRequests = (
  rule: string,
  backend: 'api' | 'web',
  code: number,
  perSecond: number,
): RecordedSeries => ({
  name: 'stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count',
  labels: {
    ...LB,
    matched_url_path_rule: rule,
    backend_target_name: `gkegw1-x1y2-dhakacart-${backend}-80-abcd1234`,
    response_code: String(code),
    response_code_class: String(Math.floor(code / 100) * 100),
  },
  value: 0,
  perSecond,
});

export const LOAD_BALANCER: RecordedSeries[] = [
  lbRequests('/api/products', 'api', 200, 40),
  lbRequests('/api/cart', 'api', 200, 8),
  lbRequests('/api/orders', 'api', 201, 1),
  lbRequests('/api/orders', 'api', 502, 1),
  lbRequests('/', 'web', 200, 30),
  lbRequests('/', 'web', 503, 10),
];

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');

/**
 * OpenMetrics history of `series` (for `promtool tsdb create-blocks-from openmetrics`): one
 * sample every `stepSeconds` from `fromSeconds` to `toSeconds`, counters growing from 0.
 */
export function openMetricsHistory(
  series: RecordedSeries[],
  fromSeconds: number,
  toSeconds: number,
  stepSeconds: number,
): string {
  const names = [...new Set(series.map((s) => s.name))];
  const lines: string[] = [];
  for (const name of names) {
    const family = series.filter((s) => s.name === name);
    const counter = family.some((s) => s.perSecond !== undefined);
    lines.push(`# TYPE ${name.replace(/_total$/, '')} ${counter ? 'counter' : 'gauge'}`);
    for (const s of family)
      for (let t = fromSeconds; t <= toSeconds; t += stepSeconds)
        lines.push(
          `${s.name}{${labelText(s.labels)}} ${s.value + (s.perSecond ?? 0) * (t - fromSeconds)} ${t}`,
        );
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

/** The exposition text of `series`, `elapsedSeconds` after the start. */
export function exposition(series: RecordedSeries[], elapsedSeconds: number): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return (
    series
      .map((s) => {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${esc(v)}"`)
          .join(',');
        const value = s.value + (s.perSecond ?? 0) * elapsedSeconds;
        return `${s.name}{${labels}} ${value}`;
      })
      .join('\n') + '\n'
  );
}
