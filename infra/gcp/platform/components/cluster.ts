// Regional GKE Standard cluster (Chaos Mesh needs node access, which Autopilot forbids):
// private nodes, Workload Identity, Dataplane V2, Shielded Nodes, a release channel and a
// maintenance window; an app pool autoscaled per zone and a tainted pool for load-test runners.
import * as pulumi from '@pulumi/pulumi';
import * as container from '@pulumi/gcp/container';
import * as serviceaccount from '@pulumi/gcp/serviceaccount';
import * as projects from '@pulumi/gcp/projects';
import { NODE_TAG } from './network';

export const POOL_LABEL = 'dhakacart.io/pool';

export interface ClusterArgs {
  prefix: string;
  project: string;
  region: string;
  zones: string[];
  network: pulumi.Input<string>;
  subnetwork: pulumi.Input<string>;
  podsRangeName: string;
  servicesRangeName: string;
  controlPlaneCidr: string;
  controlPlaneAuthorizedCidrs: { name: string; cidr: string }[];
  releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  maintenance: { startTime: string; endTime: string; recurrence: string };
  machineType: string;
  diskSizeGb: number;
  minNodesPerZone: number;
  maxNodesPerZone: number;
  loadtest: { machineType: string; maxNodesPerZone: number };
}

/** The node identity: write logs and metrics, nothing else (image pulls are granted per repo). */
const NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/autoscaling.metricsWriter',
];

export class GkeCluster extends pulumi.ComponentResource {
  readonly cluster: container.Cluster;
  readonly appPool: container.NodePool;
  readonly loadtestPool: container.NodePool;
  readonly nodeServiceAccount: serviceaccount.Account;
  readonly workloadPool: string;

  constructor(name: string, a: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:GkeCluster', name, {}, opts);
    const p = { parent: this };
    this.workloadPool = `${a.project}.svc.id.goog`;

    this.nodeServiceAccount = new serviceaccount.Account(
      `${name}-nodes`,
      { accountId: `${a.prefix}-nodes`.slice(0, 30), displayName: 'GKE nodes (least privilege)' },
      p,
    );
    for (const role of NODE_ROLES) {
      new projects.IAMMember(
        `${name}-nodes-${role.split('/')[1]}`,
        {
          project: a.project,
          role,
          member: pulumi.interpolate`serviceAccount:${this.nodeServiceAccount.email}`,
        },
        p,
      );
    }

    this.cluster = new container.Cluster(
      name,
      {
        name: `${a.prefix}-gke`,
        location: a.region,
        nodeLocations: a.zones,
        network: a.network,
        subnetwork: a.subnetwork,
        networkingMode: 'VPC_NATIVE',
        ipAllocationPolicy: {
          clusterSecondaryRangeName: a.podsRangeName,
          servicesSecondaryRangeName: a.servicesRangeName,
        },
        // The default pool cannot be configured like ours; GKE needs one to create the cluster.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: true,
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: false,
          masterIpv4CidrBlock: a.controlPlaneCidr,
          masterGlobalAccessConfig: { enabled: true },
        },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: a.controlPlaneAuthorizedCidrs.map((c) => ({
            displayName: c.name,
            cidrBlock: c.cidr,
          })),
        },
        workloadIdentityConfig: { workloadPool: this.workloadPool },
        datapathProvider: 'ADVANCED_DATAPATH',
        enableShieldedNodes: true,
        releaseChannel: { channel: a.releaseChannel },
        maintenancePolicy: { recurringWindow: a.maintenance },
        gatewayApiConfig: { channel: 'CHANNEL_STANDARD' },
        addonsConfig: {
          httpLoadBalancing: { disabled: false },
          horizontalPodAutoscaling: { disabled: false },
          gcePersistentDiskCsiDriverConfig: { enabled: true },
        },
        // kube-prometheus-stack is the metrics system; Cloud Logging keeps system + workload logs.
        loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
        monitoringConfig: {
          enableComponents: ['SYSTEM_COMPONENTS'],
          managedPrometheus: { enabled: false },
        },
        costManagementConfig: { enabled: true },
        securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_BASIC' },
        resourceLabels: { app: 'dhakacart', stack: a.prefix },
      },
      p,
    );

    const nodeConfig = (machineType: string, pool: string) => ({
      machineType,
      diskSizeGb: a.diskSizeGb,
      diskType: 'pd-balanced',
      imageType: 'COS_CONTAINERD',
      serviceAccount: this.nodeServiceAccount.email,
      oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      metadata: { 'disable-legacy-endpoints': 'true' },
      labels: { [POOL_LABEL]: pool },
      tags: [NODE_TAG],
    });

    this.appPool = new container.NodePool(
      `${name}-app`,
      {
        name: 'app',
        cluster: this.cluster.id,
        location: a.region,
        nodeLocations: a.zones,
        // Per zone: a regional pool's autoscaling limits apply to each of its zones.
        autoscaling: {
          minNodeCount: a.minNodesPerZone,
          maxNodeCount: a.maxNodesPerZone,
          locationPolicy: 'BALANCED',
        },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
        networkConfig: { enablePrivateNodes: true },
        nodeConfig: nodeConfig(a.machineType, 'app'),
      },
      p,
    );

    this.loadtestPool = new container.NodePool(
      `${name}-loadtest`,
      {
        name: 'loadtest',
        cluster: this.cluster.id,
        location: a.region,
        nodeLocations: a.zones,
        autoscaling: {
          minNodeCount: 0,
          maxNodeCount: a.loadtest.maxNodesPerZone,
          locationPolicy: 'ANY',
        },
        management: { autoRepair: true, autoUpgrade: true },
        networkConfig: { enablePrivateNodes: true },
        nodeConfig: {
          ...nodeConfig(a.loadtest.machineType, 'loadtest'),
          spot: true,
          // Only k6 runners tolerate this: load generation never competes with the store.
          taints: [{ key: POOL_LABEL, value: 'loadtest', effect: 'NO_SCHEDULE' }],
        },
      },
      p,
    );

    this.registerOutputs({ clusterName: this.cluster.name });
  }
}
