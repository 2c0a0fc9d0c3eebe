// Platform add-ons as Helm releases on the cluster: monitoring (kube-prometheus-stack), logs
// (Loki + Alloy), Chaos Mesh, Velero, k6-operator and External Secrets Operator.
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { KPS_FULLNAME } from '@dhakacart/infra-k8s';
import { CHARTS, VELERO_GCP_PLUGIN_IMAGE, type ChartPin } from './addon-charts';

export interface AddonsArgs {
  provider: k8s.Provider;
  region: pulumi.Input<string>;
  veleroBucket: pulumi.Input<string>;
  serviceAccounts: { externalSecrets: pulumi.Input<string>; velero: pulumi.Input<string> };
  ksa: {
    externalSecrets: { namespace: string; name: string };
    velero: { namespace: string; name: string };
  };
  monitoring: { prometheusReplicas: number; retention: string; storageGi: number };
}

/** Pod Security level per add-on namespace: Chaos Mesh's daemon and node exporters need host access. */
const NAMESPACE_PSS: Record<string, 'restricted' | 'baseline' | 'privileged'> = {
  monitoring: 'privileged',
  'chaos-mesh': 'privileged',
  velero: 'baseline',
  'k6-operator': 'restricted',
  'external-secrets': 'restricted',
};

const WI_ANNOTATION = 'iam.gke.io/gcp-service-account';

export const ALLOY_CONFIG = `
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
    url = "http://loki-gateway.monitoring.svc/loki/api/v1/push"
  }
}
`;

export class Addons extends pulumi.ComponentResource {
  readonly releases: Record<keyof typeof CHARTS, k8s.helm.v3.Release>;
  readonly namespaces: k8s.core.v1.Namespace[];

  constructor(name: string, a: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:workloads:Addons', name, {}, opts);
    const p = { parent: this, provider: a.provider };

    this.namespaces = Object.entries(NAMESPACE_PSS).map(
      ([ns, level]) =>
        new k8s.core.v1.Namespace(
          `${name}-ns-${ns}`,
          { metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': level } } },
          p,
        ),
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
        { ...p, dependsOn: [...this.namespaces, ...deps] },
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

    const kubePrometheusStack = release('kube-prometheus-stack', CHARTS.kubePrometheusStack, {
      // The api's PROMETHEUS_URL and NetworkPolicy derive the Service name from this.
      fullnameOverride: KPS_FULLNAME,
      prometheus: {
        prometheusSpec: {
          replicas: a.monitoring.prometheusReplicas,
          retention: a.monitoring.retention,
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
        alertmanagerSpec: { replicas: Math.min(3, a.monitoring.prometheusReplicas + 1) },
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
        additionalDataSources: [
          {
            name: 'Loki',
            type: 'loki',
            url: 'http://loki-gateway.monitoring.svc',
            access: 'proxy',
          },
        ],
      },
      // GKE manages these control-plane components; there is nothing to scrape.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeProxy: { enabled: false },
      kubeEtcd: { enabled: false },
    });

    const loki = release('loki', CHARTS.loki, {
      deploymentMode: 'SingleBinary',
      loki: {
        auth_enabled: false,
        commonConfig: { replication_factor: 1 },
        storage: { type: 'filesystem' },
        schemaConfig: {
          configs: [
            {
              from: '2024-01-01',
              store: 'tsdb',
              object_store: 'filesystem',
              schema: 'v13',
              index: { prefix: 'index_', period: '24h' },
            },
          ],
        },
        limits_config: { retention_period: '168h' },
        compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
      },
      singleBinary: { replicas: 1, persistence: { size: '50Gi', storageClass: 'standard-rwo' } },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
    });

    const alloy = release(
      'alloy',
      CHARTS.alloy,
      {
        alloy: { configMap: { create: true, content: ALLOY_CONFIG } },
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

    const k6Operator = release('k6-operator', CHARTS.k6Operator, { namespace: { create: false } });

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
