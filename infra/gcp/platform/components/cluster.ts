// Regional GKE Standard cluster (Chaos Mesh needs node access, which Autopilot forbids):
// private nodes and a private control-plane endpoint reached through Connect Gateway (fleet
// membership), Workload Identity, Dataplane V2, Shielded Nodes, Secrets encrypted with Cloud KMS,
// Binary Authorization, a release channel and a maintenance window; an app pool autoscaled per
// zone and a tainted pool for load-test runners.
import * as pulumi from '@pulumi/pulumi';
import * as container from '@pulumi/gcp/container';
import * as gkehub from '@pulumi/gcp/gkehub';
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
  /** false: the control plane has only its private endpoint (CIS GKE). */
  controlPlanePublicEndpoint: boolean;
  /** Cloud KMS key for application-layer Secrets encryption (same region as the cluster). */
  secretsKeyId: pulumi.Input<string>;
  projectNumber: pulumi.Input<string>;
  releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  maintenance: { startTime: string; endTime: string; recurrence: string };
  machineType: string;
  diskSizeGb: number;
  minNodesPerZone: number;
  maxNodesPerZone: number;
  loadtest: { machineType: string; maxNodesPerZone: number };
}

/** Connect Gateway's Kubernetes API endpoint for a fleet membership (no network path needed). */
export function connectGatewayUrl(projectNumber: string, membershipId: string): string {
  return `https://connectgateway.googleapis.com/v1/projects/${projectNumber}/locations/global/gkeMemberships/${membershipId}`;
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
  readonly membership: gkehub.Membership;
  /** Read from the cluster, so anything using it waits until GKE has created the pool. */
  readonly workloadPool: pulumi.Output<string>;
  readonly gatewayUrl: pulumi.Output<string>;

  constructor(name: string, a: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:GkeCluster', name, {}, opts);
    const p = { parent: this };

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
        // GKE needs a default pool to create the cluster; it is removed right after. Its nodes
        // must still register, so they carry the node tag every allow rule targets (the VPC
        // denies all egress to untagged instances) and the least-privilege identity.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        nodeConfig: nodeConfig(a.machineType, 'default'),
        deletionProtection: true,
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: !a.controlPlanePublicEndpoint,
          masterIpv4CidrBlock: a.controlPlaneCidr,
          masterGlobalAccessConfig: { enabled: true },
        },
        masterAuthorizedNetworksConfig: {
          cidrBlocks: a.controlPlaneAuthorizedCidrs.map((c) => ({
            displayName: c.name,
            cidrBlock: c.cidr,
          })),
          gcpPublicCidrsAccessEnabled: false,
        },
        workloadIdentityConfig: { workloadPool: `${a.project}.svc.id.goog` },
        databaseEncryption: { state: 'ENCRYPTED', keyName: a.secretsKeyId },
        // The project's Binary Authorization policy decides (dry-run or enforce, see
        // binary-authorization.ts).
        binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
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
      // The default pool's settings only matter at creation (it is deleted right after).
      { ...p, ignoreChanges: ['nodeConfig', 'initialNodeCount'] },
    );
    this.workloadPool = this.cluster.workloadIdentityConfig.apply((w) => w!.workloadPool!);

    // Fleet membership: CI and operators reach the private control plane through Connect
    // Gateway, authenticated and authorised by IAM (roles/gkehub.gatewayEditor).
    const membershipId = `${a.prefix}-gke`;
    this.membership = new gkehub.Membership(
      `${name}-fleet`,
      {
        membershipId,
        location: 'global',
        endpoint: {
          gkeCluster: {
            resourceLink: pulumi.interpolate`//container.googleapis.com/${this.cluster.id}`,
          },
        },
        labels: { app: 'dhakacart' },
      },
      p,
    );
    this.gatewayUrl = pulumi
      .all([a.projectNumber, this.membership.membershipId])
      .apply(([n, m]) => connectGatewayUrl(n, m));

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
