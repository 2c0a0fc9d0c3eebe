// VPC with one private subnet (secondary ranges for pods and services), Cloud NAT for egress,
// default-deny firewall in both directions, and Private Service Access for Cloud SQL/Memorystore.
import * as pulumi from '@pulumi/pulumi';
import * as compute from '@pulumi/gcp/compute';
import * as servicenetworking from '@pulumi/gcp/servicenetworking';

/** Google front ends and health checkers of the global external Application Load Balancer. */
export const GOOGLE_LB_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];
export const NODE_TAG = 'dhakacart-gke-node';
/** Lowest priority usable by a rule: explicit deny-all sits just above the implied rules. */
export const DENY_ALL_PRIORITY = 65534;

export interface NetworkArgs {
  prefix: string;
  region: string;
  nodesCidr: string;
  podsCidr: string;
  servicesCidr: string;
  controlPlaneCidr: string;
  privateServicesCidr: string;
  /** Ports the pods serve the load balancer on (container-native LB reaches pods directly). */
  podServingPorts: number[];
  dataPorts: number[];
  /** Alertmanager's SMTP relay: submission (587) is allowed to these ranges only. */
  smtpRelayCidrs: string[];
  nat: { addresses: number; minPortsPerVm: number; maxPortsPerVm: number };
}

export const SMTP_SUBMISSION_PORT = 587;

export class Network extends pulumi.ComponentResource {
  readonly vpc: compute.Network;
  readonly subnet: compute.Subnetwork;
  readonly privateServicesRange: compute.GlobalAddress;
  readonly privateServicesConnection: servicenetworking.Connection;
  /** Cloud NAT's static egress addresses (what the store sees the cluster's own traffic from). */
  readonly natAddresses: pulumi.Output<string[]>;
  readonly podsRangeName = 'pods';
  readonly servicesRangeName = 'services';

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Network', name, {}, opts);
    const p = { parent: this };

    this.vpc = new compute.Network(
      `${name}-vpc`,
      { name: `${args.prefix}-vpc`, autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
      p,
    );

    this.subnet = new compute.Subnetwork(
      `${name}-nodes`,
      {
        name: `${args.prefix}-nodes`,
        network: this.vpc.id,
        region: args.region,
        ipCidrRange: args.nodesCidr,
        privateIpGoogleAccess: true,
        secondaryIpRanges: [
          { rangeName: this.podsRangeName, ipCidrRange: args.podsCidr },
          { rangeName: this.servicesRangeName, ipCidrRange: args.servicesCidr },
        ],
        logConfig: {
          aggregationInterval: 'INTERVAL_5_SEC',
          flowSampling: 0.5,
          metadata: 'INCLUDE_ALL_METADATA',
        },
      },
      p,
    );

    const router = new compute.Router(
      `${name}-router`,
      { name: `${args.prefix}-router`, network: this.vpc.id, region: args.region },
      p,
    );
    // Reserved, not AUTO_ONLY: the edge's Cloud Armor policy must know them in advance to keep
    // the cluster's own load test out of its per-IP ban (docs/adr/0503-k6-runner-sizing.md).
    const natIps = Array.from(
      { length: args.nat.addresses },
      (_, i) =>
        new compute.Address(
          `${name}-nat-ip-${i}`,
          {
            name: `${args.prefix}-nat-${i}`,
            region: args.region,
            addressType: 'EXTERNAL',
            networkTier: 'PREMIUM',
          },
          p,
        ),
    );
    this.natAddresses = pulumi.all(natIps.map((a) => a.address));
    new compute.RouterNat(
      `${name}-nat`,
      {
        name: `${args.prefix}-nat`,
        router: router.name,
        region: args.region,
        natIpAllocateOption: 'MANUAL_ONLY',
        natIps: natIps.map((a) => a.selfLink),
        sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
        subnetworks: [{ name: this.subnet.id, sourceIpRangesToNats: ['ALL_IP_RANGES'] }],
        // Dynamic port allocation: a node starts with minPortsPerVm ports per destination and
        // gets more as it needs them, up to maxPortsPerVm (a k6 runner holds one connection per
        // virtual user to the store's single address). It requires endpoint-independent
        // mapping off.
        enableEndpointIndependentMapping: false,
        enableDynamicPortAllocation: true,
        minPortsPerVm: args.nat.minPortsPerVm,
        maxPortsPerVm: args.nat.maxPortsPerVm,
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      },
      p,
    );

    const [psaAddress, psaPrefix] = args.privateServicesCidr.split('/');
    this.privateServicesRange = new compute.GlobalAddress(
      `${name}-psa-range`,
      {
        name: `${args.prefix}-private-services`,
        network: this.vpc.id,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: psaAddress,
        prefixLength: Number(psaPrefix),
      },
      p,
    );
    this.privateServicesConnection = new servicenetworking.Connection(
      `${name}-psa`,
      {
        network: this.vpc.id,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [this.privateServicesRange.name],
      },
      p,
    );

    this.firewall(name, args);
    this.registerOutputs({ vpcId: this.vpc.id, subnetId: this.subnet.id });
  }

  /** Default deny both ways; then only cluster-internal, control plane, LB and data-tier paths. */
  private firewall(name: string, a: NetworkArgs): void {
    const p = { parent: this };
    const clusterRanges = [a.nodesCidr, a.podsCidr];
    const rule = (id: string, args: Omit<compute.FirewallArgs, 'network' | 'name'>) =>
      new compute.Firewall(
        `${name}-fw-${id}`,
        {
          name: `${a.prefix}-${id}`,
          network: this.vpc.id,
          logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
          ...args,
        },
        p,
      );

    rule('deny-all-ingress', {
      direction: 'INGRESS',
      priority: DENY_ALL_PRIORITY,
      denies: [{ protocol: 'all' }],
      sourceRanges: ['0.0.0.0/0'],
    });
    rule('deny-all-egress', {
      direction: 'EGRESS',
      priority: DENY_ALL_PRIORITY,
      denies: [{ protocol: 'all' }],
      destinationRanges: ['0.0.0.0/0'],
    });

    rule('allow-cluster-internal-ingress', {
      direction: 'INGRESS',
      priority: 1000,
      allows: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
      sourceRanges: clusterRanges,
      targetTags: [NODE_TAG],
    });
    rule('allow-control-plane-ingress', {
      direction: 'INGRESS',
      priority: 1000,
      // kubelet, and admission webhooks of the add-ons (ESO, Prometheus Operator, Chaos Mesh).
      allows: [{ protocol: 'tcp', ports: ['443', '10250', '8443', '9443'] }],
      sourceRanges: [a.controlPlaneCidr],
      targetTags: [NODE_TAG],
    });
    rule('allow-lb-ingress', {
      direction: 'INGRESS',
      priority: 1000,
      allows: [{ protocol: 'tcp', ports: a.podServingPorts.map(String) }],
      sourceRanges: GOOGLE_LB_RANGES,
      targetTags: [NODE_TAG],
    });
    rule('allow-cluster-internal-egress', {
      direction: 'EGRESS',
      priority: 1000,
      allows: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
      destinationRanges: [...clusterRanges, a.servicesCidr, a.controlPlaneCidr],
      targetTags: [NODE_TAG],
    });
    rule('allow-data-tier-egress', {
      direction: 'EGRESS',
      priority: 1000,
      allows: [{ protocol: 'tcp', ports: a.dataPorts.map(String) }],
      destinationRanges: [a.privateServicesCidr],
      targetTags: [NODE_TAG],
    });
    if (a.smtpRelayCidrs.length > 0)
      rule('allow-smtp-relay-egress', {
        direction: 'EGRESS',
        priority: 1000,
        allows: [{ protocol: 'tcp', ports: [String(SMTP_SUBMISSION_PORT)] }],
        destinationRanges: a.smtpRelayCidrs,
        targetTags: [NODE_TAG],
      });
    // Google APIs and the add-ons' public image registries, through Cloud NAT. HTTPS only.
    rule('allow-https-egress', {
      direction: 'EGRESS',
      priority: 1100,
      allows: [{ protocol: 'tcp', ports: ['443'] }],
      destinationRanges: ['0.0.0.0/0'],
      targetTags: [NODE_TAG],
    });
  }
}
