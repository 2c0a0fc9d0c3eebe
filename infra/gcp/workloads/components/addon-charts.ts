// Every cluster add-on chart, pinned to an exact version. Upgrades are a reviewed change here
// (bump, `pulumi preview` on staging, then prod); nothing floats.
export interface ChartPin {
  chart: string;
  version: string;
  repo: string;
  namespace: string;
}

export const CHARTS = {
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '72.9.1',
    repo: 'https://prometheus-community.github.io/helm-charts',
    namespace: 'monitoring',
  },
  // AGPL, deployed unmodified by its own chart, never run by the project's commands (ADR 0403).
  loki: {
    chart: 'loki',
    version: '6.16.0',
    repo: 'https://grafana.github.io/helm-charts',
    namespace: 'logging',
  },
  alloy: {
    chart: 'alloy',
    version: '0.9.1',
    repo: 'https://grafana.github.io/helm-charts',
    namespace: 'logging',
  },
  chaosMesh: {
    chart: 'chaos-mesh',
    version: '2.7.0',
    repo: 'https://charts.chaos-mesh.org',
    namespace: 'chaos-mesh',
  },
  velero: {
    chart: 'velero',
    version: '7.2.1',
    repo: 'https://vmware-tanzu.github.io/helm-charts',
    namespace: 'velero',
  },
  k6Operator: {
    chart: 'k6-operator',
    version: '3.9.0',
    repo: 'https://grafana.github.io/helm-charts',
    namespace: 'k6-operator',
  },
  externalSecrets: {
    chart: 'external-secrets',
    version: '0.16.0',
    repo: 'https://charts.external-secrets.io',
    namespace: 'external-secrets',
  },
} as const satisfies Record<string, ChartPin>;

/** Velero 1.14 (chart 7.x) pairs with the GCP plugin 1.10 (upstream compatibility table). */
export const VELERO_GCP_PLUGIN_IMAGE = 'velero/velero-plugin-for-gcp:v1.10.1';
