// Platform add-ons as Helm releases on the cluster: monitoring (kube-prometheus-stack), logs
// (Loki on GCS + the Alloy DaemonSet, ADR 0403), Chaos Mesh, Velero, k6-operator and External
// Secrets Operator.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import {
  ALERTMANAGER_SECRET,
  alertmanagerReceivers,
  KPS_FULLNAME,
  type KubeObject,
  type WorkloadSettings,
} from '@dhakacart/infra-k8s';
import { LOKI_DATASOURCE } from '@dhakacart/infra-k8s/src/dashboards/logs-dashboard';
import { lokiGatewayUrl } from '@dhakacart/infra-k8s/src/objects/logs';
import { alertmanagerConfig } from '@dhakacart/slo/src/alertmanager/config';
import { CHARTS, VELERO_GCP_PLUGIN_IMAGE, type ChartPin } from './addon-charts';

export interface AddonsArgs {
  provider: k8s.Provider;
  settings: pulumi.Output<WorkloadSettings>;
  /** Every namespace with its Pod Security level and network policy (infra/k8s). */
  namespaceObjects: pulumi.Output<KubeObject[]>;
  /** The secret store and Alertmanager's credentials (infra/k8s). */
  secretObjects: pulumi.Output<KubeObject[]>;
  region: pulumi.Input<string>;
  veleroBucket: pulumi.Input<string>;
  serviceAccounts: { externalSecrets: pulumi.Input<string>; velero: pulumi.Input<string> };
  ksa: {
    externalSecrets: { namespace: string; name: string };
    velero: { namespace: string; name: string };
  };
  monitoring: { prometheusReplicas: number; retention: string; storageGi: number };
  /** Loki on GCS: its buckets, its Google identity (Workload Identity) and retention. */
  logs: {
    serviceAccount: pulumi.Input<string>;
    chunksBucket: pulumi.Input<string>;
    rulerBucket: pulumi.Input<string>;
    retentionDays: pulumi.Input<number>;
    replicas: number;
  };
}

/** Loki's service account: the platform binds it to the Loki Google identity. */
export const LOKI_KSA = 'loki';

/** Zone spread for a Loki component (a zone loss keeps two of three replicas). */
const zoneSpread = (component: string) => [
  {
    maxSkew: 1,
    topologyKey: 'topology.kubernetes.io/zone',
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: { matchLabels: { 'app.kubernetes.io/component': component } },
  },
];

/**
 * Loki in simple scalable mode: write, read and backend targets, 3 replicas each, chunks and
 * index (TSDB) in GCS, every stream written to 3 ingesters (replication_factor), retention by
 * the compactor. The chart's memcached caches stay off: at our volume they would cost more
 * memory than the queries they save.
 */
export function lokiValues(a: AddonsArgs['logs']): pulumi.Inputs {
  return {
    deploymentMode: 'SimpleScalable',
    serviceAccount: {
      create: true,
      name: LOKI_KSA,
      annotations: { [WI_ANNOTATION]: a.serviceAccount },
    },
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 3 },
      storage: {
        type: 'gcs',
        bucketNames: { chunks: a.chunksBucket, ruler: a.rulerBucket, admin: a.rulerBucket },
      },
      schemaConfig: {
        configs: [
          {
            from: '2024-01-01',
            store: 'tsdb',
            object_store: 'gcs',
            schema: 'v13',
            index: { prefix: 'index_', period: '24h' },
          },
        ],
      },
      limits_config: {
        retention_period: pulumi.output(a.retentionDays).apply((d) => `${d * 24}h`),
      },
      compactor: { retention_enabled: true, delete_request_store: 'gcs' },
    },
    write: { replicas: a.replicas, topologySpreadConstraints: zoneSpread('write') },
    read: { replicas: a.replicas, topologySpreadConstraints: zoneSpread('read') },
    backend: { replicas: a.replicas, topologySpreadConstraints: zoneSpread('backend') },
    gateway: { replicas: 2 },
    singleBinary: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    minio: { enabled: false },
  };
}

/**
 * The Pod Security `restricted` profile for a container, for charts whose defaults set no
 * securityContext. k6-operator's images run as the distroless `nonroot` user (65532).
 */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * k6-operator 3.9.0 into its `restricted` namespace. The chart sets no securityContext by default
 * and has no pod-level value, so each container gets the restricted profile. Its kube-rbac-proxy
 * sidecar (gcr.io/kubebuilder, an image registry Google has retired) is off: metrics stay
 * on the manager and nothing scrapes them (`prometheus.enabled` is false).
 */
export const K6_OPERATOR_VALUES = {
  namespace: { create: false },
  authProxy: { enabled: false },
  manager: { containerSecurityContext: RESTRICTED_CONTAINER },
};

const WI_ANNOTATION = 'iam.gke.io/gcp-service-account';

/** Alloy's pipeline: every pod's lines, labelled by namespace, pod, container and app, to Loki. */
export function alloyConfig(lokiPushUrl: string): string {
  return `
discovery.kubernetes "pods" {
  role = "pod"
}
discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }
}
loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
}
loki.write "default" {
  endpoint {
    url = "${lokiPushUrl}"
  }
}
`;
}

export class Addons extends pulumi.ComponentResource {
  readonly releases: Record<keyof typeof CHARTS, k8s.helm.v3.Release>;
  /** Namespaces, default deny and allow rules: in place before any chart is installed. */
  readonly namespaceGroup: k8s.yaml.v2.ConfigGroup;
  readonly secretGroup: k8s.yaml.v2.ConfigGroup;

  constructor(name: string, a: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:workloads:Addons', name, {}, opts);
    const p = { parent: this, provider: a.provider };

    this.namespaceGroup = new k8s.yaml.v2.ConfigGroup(
      `${name}-namespaces`,
      { objs: a.namespaceObjects },
      p,
    );
    const release = (
      id: string,
      pin: ChartPin,
      values: pulumi.Inputs,
      deps: pulumi.Resource[] = [],
    ) =>
      new k8s.helm.v3.Release(
        `${name}-${id}`,
        {
          name: id,
          chart: pin.chart,
          version: pin.version,
          repositoryOpts: { repo: pin.repo },
          namespace: pin.namespace,
          createNamespace: false,
          atomic: true,
          cleanupOnFail: true,
          timeout: 900,
          values,
        },
        { ...p, dependsOn: [this.namespaceGroup, ...deps] },
      );

    const externalSecrets = release('external-secrets', CHARTS.externalSecrets, {
      installCRDs: true,
      serviceAccount: {
        name: a.ksa.externalSecrets.name,
        annotations: { [WI_ANNOTATION]: a.serviceAccounts.externalSecrets },
      },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceMonitor: { enabled: false },
    });
    // Needs External Secrets' CRDs; Alertmanager needs its credentials before it starts.
    this.secretGroup = new k8s.yaml.v2.ConfigGroup(
      `${name}-secrets`,
      { objs: a.secretObjects },
      { ...p, dependsOn: [externalSecrets] },
    );

    const kubePrometheusStack = release(
      'kube-prometheus-stack',
      CHARTS.kubePrometheusStack,
      {
        // The api's PROMETHEUS_URL and NetworkPolicy derive the Service name from this.
        fullnameOverride: KPS_FULLNAME,
        prometheus: {
          prometheusSpec: {
            replicas: a.monitoring.prometheusReplicas,
            retention: a.monitoring.retention,
            // k6 runners remote-write the load test's results here (docs/adr/0503).
            enableRemoteWriteReceiver: true,
            // Select every ServiceMonitor/PrometheusRule in the cluster, not only the chart's own.
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName: 'standard-rwo',
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${a.monitoring.storageGi}Gi` } },
                },
              },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
              },
            ],
          },
        },
        alertmanager: {
          // The lab's routing and receivers (pages to chat + SMS, tickets by email), with the
          // credentials read from the mounted secret's files: none is in the values.
          config: a.settings.apply((s) => alertmanagerConfig(alertmanagerReceivers(s))),
          alertmanagerSpec: {
            replicas: Math.min(3, a.monitoring.prometheusReplicas + 1),
            secrets: [ALERTMANAGER_SECRET],
          },
        },
        grafana: {
          // Dashboards arrive as ConfigMaps labelled grafana_dashboard=1 (built from slo/).
          sidecar: {
            dashboards: {
              enabled: true,
              label: 'grafana_dashboard',
              labelValue: '1',
              searchNamespace: 'ALL',
            },
          },
          // The logs dashboard (infra/k8s/src/dashboards) names this datasource by its uid.
          additionalDataSources: [
            {
              name: 'Loki',
              uid: LOKI_DATASOURCE.uid,
              type: 'loki',
              url: a.settings.apply(lokiGatewayUrl),
              access: 'proxy',
            },
          ],
        },
        // GKE manages these control-plane components; there is nothing to scrape.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeProxy: { enabled: false },
        kubeEtcd: { enabled: false },
      },
      [this.secretGroup],
    );

    const loki = release('loki', CHARTS.loki, lokiValues(a.logs));

    const alloy = release(
      'alloy',
      CHARTS.alloy,
      {
        alloy: {
          configMap: {
            create: true,
            content: a.settings.apply((s) => alloyConfig(`${lokiGatewayUrl(s)}/loki/api/v1/push`)),
          },
        },
        controller: { type: 'daemonset' },
      },
      [loki],
    );

    const chaosMesh = release('chaos-mesh', CHARTS.chaosMesh, {
      // GKE nodes run containerd (COS_CONTAINERD), not Docker.
      chaosDaemon: { runtime: 'containerd', socketPath: '/run/containerd/containerd.sock' },
      controllerManager: { replicaCount: 1 },
      dashboard: { securityMode: true },
    });

    const velero = release('velero', CHARTS.velero, {
      initContainers: [
        {
          name: 'velero-plugin-for-gcp',
          image: VELERO_GCP_PLUGIN_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
        },
      ],
      // Workload Identity, not a key file.
      credentials: { useSecret: false },
      serviceAccount: {
        server: {
          create: true,
          name: a.ksa.velero.name,
          annotations: { [WI_ANNOTATION]: a.serviceAccounts.velero },
        },
      },
      configuration: {
        backupStorageLocation: [
          {
            name: 'default',
            provider: 'gcp',
            bucket: a.veleroBucket,
            default: true,
            config: { serviceAccount: a.serviceAccounts.velero },
          },
        ],
        volumeSnapshotLocation: [
          { name: 'default', provider: 'gcp', config: { snapshotLocation: a.region } },
        ],
      },
      deployNodeAgent: false,
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
    });

    const k6Operator = release('k6-operator', CHARTS.k6Operator, K6_OPERATOR_VALUES);

    this.releases = {
      externalSecrets,
      kubePrometheusStack,
      loki,
      alloy,
      chaosMesh,
      velero,
      k6Operator,
    };
    this.registerOutputs({});
  }
}
