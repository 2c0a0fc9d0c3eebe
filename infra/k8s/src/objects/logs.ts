// GKE's log store (docs/adr/0403-gke-log-store.md): Loki, deployed unmodified by its Helm chart
// into the `logging` namespace with its chunks in GCS, and Alloy as the DaemonSet shipping every
// pod's lines to it (infra/gcp/workloads/components/addons.ts). Here: the logs dashboard
// Grafana's sidecar loads, and the names both programs share.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { WorkloadSettings } from '../settings';
import { logsDashboard, LOGS_DASHBOARD_UID } from '../dashboards/logs-dashboard';

/** Loki's gateway (nginx) in front of the read and write paths: what Alloy and Grafana call. */
export const LOKI_GATEWAY_SERVICE = 'loki-gateway';
/** The gateway pods' container port (the Service listens on 80). */
export const LOKI_GATEWAY_PORT = 8080;
/** Loki's own HTTP port (metrics, ring, queries between components). */
export const LOKI_HTTP_PORT = 3100;

export function lokiGatewayUrl(s: WorkloadSettings): string {
  return `http://${LOKI_GATEWAY_SERVICE}.${s.loggingNamespace}.svc.cluster.local`;
}

export function logsDashboardConfigMap(s: WorkloadSettings): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `dashboard-${LOGS_DASHBOARD_UID}`,
      namespace: s.monitoringNamespace,
      // kube-prometheus-stack's Grafana sidecar loads every ConfigMap with this label.
      labels: { grafana_dashboard: '1', 'app.kubernetes.io/part-of': 'dhakacart' },
    },
    data: { [`${LOGS_DASHBOARD_UID}.json`]: JSON.stringify(logsDashboard(s.namespace), null, 2) },
  };
}
