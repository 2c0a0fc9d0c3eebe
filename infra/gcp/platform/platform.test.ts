import * as pulumi from '@pulumi/pulumi';
import {
  installMocks,
  MOCK_SECRETS,
  ofType,
  resolveAll,
  settle,
  type Recorded,
} from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';

const recorded: Recorded[] = installMocks('dhakacart-platform', 'prod');
const stackConfig = readStackFile(__dirname, 'prod');
pulumi.runtime.setAllConfig(asRuntimeConfig(stackConfig));

// Imported after the mocks and config are in place, as `pulumi up` would load them.
import { loadPlatformConfig } from './config';
import { createPlatform, type PlatformOutputs } from './platform';
import { DENY_ALL_PRIORITY } from './components/network';
import { OWASP_RULES } from './components/edge';

/** How the Pulumi SDK marks a secret value on the wire (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';

let outputs: PlatformOutputs;
let resolved: Record<string, unknown>;
const cfg = loadPlatformConfig();
type Inputs = Record<string, any>;
const one = (type: string): Inputs => {
  const found = ofType(recorded, type);
  expect(found).toHaveLength(1);
  return found[0]!.inputs as Inputs;
};

beforeAll(async () => {
  outputs = createPlatform(cfg);
  resolved = (await resolveAll(outputs)) as Record<string, unknown>;
  await settle(recorded);
});

describe('Cloud SQL for PostgreSQL', () => {
  it('is REGIONAL (HA) with private IP only and TLS required', () => {
    const s = one('gcp:sql/databaseInstance:DatabaseInstance').settings;
    expect(s.availabilityType).toBe('REGIONAL');
    expect(s.ipConfiguration.ipv4Enabled).toBe(false);
    expect(s.ipConfiguration.privateNetwork).toBeDefined();
    expect(s.ipConfiguration.sslMode).toBe('ENCRYPTED_ONLY');
  });

  it('has point-in-time recovery, 7 days of WAL and >= 14 backups kept in another region', () => {
    const b = one('gcp:sql/databaseInstance:DatabaseInstance').settings.backupConfiguration;
    expect(b).toMatchObject({
      enabled: true,
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: 7,
    });
    expect(b.backupRetentionSettings.retainedBackups).toBeGreaterThanOrEqual(14);
    expect(b.location).not.toBe(cfg.region);
  });

  it('is protected from deletion, has a maintenance window and Query Insights', () => {
    const db = one('gcp:sql/databaseInstance:DatabaseInstance');
    expect(db.deletionProtection).toBe(true);
    expect(db.settings.deletionProtectionEnabled).toBe(true);
    expect(db.settings.maintenanceWindow).toMatchObject({
      day: cfg.database.maintenanceDay,
      hour: cfg.database.maintenanceHour,
    });
    expect(db.settings.insightsConfig.queryInsightsEnabled).toBe(true);
  });
});

describe('Memorystore for Redis', () => {
  it('is STANDARD_HA with AUTH and in-transit TLS over private service access', () => {
    expect(one('gcp:redis/instance:Instance')).toMatchObject({
      tier: 'STANDARD_HA',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
    });
  });

  it('puts its replica in a different zone', () => {
    const r = one('gcp:redis/instance:Instance');
    expect(r.alternativeLocationId).not.toBe(r.locationId);
  });
});

describe('GKE', () => {
  it('is a regional Standard cluster with private nodes, Workload Identity, Dataplane V2 and Shielded Nodes', () => {
    const c = one('gcp:container/cluster:Cluster');
    expect(c.location).toBe(cfg.region);
    expect(c.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(c.workloadIdentityConfig.workloadPool).toBe(`${cfg.project}.svc.id.goog`);
    expect(c.datapathProvider).toBe('ADVANCED_DATAPATH');
    expect(c.enableShieldedNodes).toBe(true);
    expect(c.releaseChannel.channel).toBe(cfg.cluster.releaseChannel);
    expect(c.maintenancePolicy.recurringWindow.recurrence).toMatch(/^FREQ=WEEKLY/);
    expect(c.removeDefaultNodePool).toBe(true);
  });

  it('spreads private nodes over 3 zones with per-zone autoscaling from config', () => {
    const pools = ofType(recorded, 'gcp:container/nodePool:NodePool').map(
      (r) => r.inputs as Inputs,
    );
    expect(pools).toHaveLength(2);
    for (const pool of pools) {
      expect(new Set(pool.nodeLocations).size).toBe(3);
      expect(pool.networkConfig.enablePrivateNodes).toBe(true);
      expect(pool.nodeConfig.workloadMetadataConfig.mode).toBe('GKE_METADATA');
      expect(pool.nodeConfig.shieldedInstanceConfig.enableSecureBoot).toBe(true);
    }
    const app = pools.find((p) => p.name === 'app')!;
    expect(app.autoscaling).toMatchObject({
      minNodeCount: cfg.cluster.minNodesPerZone,
      maxNodeCount: cfg.cluster.maxNodesPerZone,
    });
  });

  it('keeps load-test runners on a separate tainted pool', () => {
    const lt = ofType(recorded, 'gcp:container/nodePool:NodePool')
      .map((r) => r.inputs as Inputs)
      .find((p) => p.name === 'loadtest')!;
    expect(lt.nodeConfig.taints).toEqual([
      { key: 'dhakacart.io/pool', value: 'loadtest', effect: 'NO_SCHEDULE' },
    ]);
    expect(lt.autoscaling.minNodeCount).toBe(0);
  });
});

describe('network', () => {
  const rules = () =>
    ofType(recorded, 'gcp:compute/firewall:Firewall').map((r) => r.inputs as Inputs);

  it('denies all ingress and all egress by default', () => {
    for (const direction of ['INGRESS', 'EGRESS']) {
      expect(rules()).toContainEqual(
        expect.objectContaining({
          direction,
          priority: DENY_ALL_PRIORITY,
          denies: [{ protocol: 'all' }],
        }),
      );
    }
  });

  it('allows nothing into the VPC from the internet except Google load balancer ranges', () => {
    const ingressAllows = rules().filter((r) => r.direction === 'INGRESS' && r.allows);
    for (const r of ingressAllows) expect(r.sourceRanges).not.toContain('0.0.0.0/0');
  });

  it('lets egress reach the internet only over HTTPS (through Cloud NAT)', () => {
    const open = rules().filter(
      (r) => r.direction === 'EGRESS' && r.allows && r.destinationRanges.includes('0.0.0.0/0'),
    );
    expect(open.map((r) => r.allows)).toEqual([[{ protocol: 'tcp', ports: ['443'] }]]);
  });

  it('has a private subnet with pod and service ranges, Cloud NAT and Private Service Access', () => {
    const subnet = one('gcp:compute/subnetwork:Subnetwork');
    expect(subnet.privateIpGoogleAccess).toBe(true);
    expect(subnet.secondaryIpRanges.map((r: Inputs) => r.rangeName)).toEqual(['pods', 'services']);
    expect(one('gcp:compute/routerNat:RouterNat').sourceSubnetworkIpRangesToNat).toBe(
      'LIST_OF_SUBNETWORKS',
    );
    const psa = ofType(recorded, 'gcp:compute/globalAddress:GlobalAddress').find(
      (a) => a.inputs.purpose === 'VPC_PEERING',
    );
    expect(psa?.inputs).toMatchObject({
      addressType: 'INTERNAL',
      prefixLength: Number(cfg.network.privateServicesCidr.split('/')[1]),
    });
    expect(one('gcp:servicenetworking/connection:Connection').service).toBe(
      'servicenetworking.googleapis.com',
    );
  });
});

describe('storage, registry and edge', () => {
  it('versions the Velero bucket, blocks public access and keeps deleted objects', () => {
    const b = one('gcp:storage/bucket:Bucket');
    expect(b.versioning).toEqual({ enabled: true });
    expect(b.publicAccessPrevention).toBe('enforced');
    expect(b.softDeletePolicy.retentionDurationSeconds).toBe(cfg.backups.softDeleteDays * 86400);
  });

  it('scans images in Artifact Registry and keeps tags immutable', () => {
    const r = one('gcp:artifactregistry/repository:Repository');
    expect(r.vulnerabilityScanningConfig.enablementConfig).toBe('INHERITED');
    expect(r.dockerConfig.immutableTags).toBe(true);
    expect(ofType(recorded, 'gcp:projects/service:Service').map((s) => s.inputs.service)).toContain(
      'containerscanning.googleapis.com',
    );
  });

  it('enforces every OWASP rule set and a per-IP rate limit in Cloud Armor', () => {
    const rules = one('gcp:compute/securityPolicy:SecurityPolicy').rules as Inputs[];
    for (const r of OWASP_RULES) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          action: 'deny(403)',
          match: { expr: { expression: expect.stringContaining(`'${r}'`) } },
        }),
      );
    }
    const limit = rules.find((r) => r.action === 'rate_based_ban')!;
    expect(limit.rateLimitOptions).toMatchObject({
      enforceOnKey: 'IP',
      rateLimitThreshold: { count: cfg.edge.rateLimitPerMinute, intervalSec: 60 },
    });
  });

  it('terminates TLS 1.2+ only with a Google-managed certificate', () => {
    expect(one('gcp:compute/sSLPolicy:SSLPolicy').minTlsVersion).toBe('TLS_1_2');
    expect(one('gcp:certificatemanager/certificate:Certificate').managed.domains).toEqual([
      cfg.edge.domain,
    ]);
  });
});

describe('identities', () => {
  it('lets External Secrets read only the three app secrets (no project-wide accessor)', () => {
    expect(ofType(recorded, 'gcp:secretmanager/secretIamMember:SecretIamMember')).toHaveLength(3);
    const projectRoles = ofType(recorded, 'gcp:projects/iAMMember:IAMMember').map(
      (r) => r.inputs.role,
    );
    expect(projectRoles).not.toContain('roles/secretmanager.secretAccessor');
    expect(projectRoles).not.toContain('roles/owner');
    expect(projectRoles).not.toContain('roles/editor');
  });

  it('federates GitHub Actions for one repository and ref, with no service-account keys', () => {
    const p = one('gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider');
    expect(p.attributeCondition).toBe(
      `assertion.repository == '${cfg.ci.githubRepository}' && assertion.ref == '${cfg.ci.githubRef}'`,
    );
    expect(ofType(recorded, 'gcp:serviceaccount/key:Key')).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('stores the DB password, Redis AUTH and session key as Secret Manager versions', () => {
    expect(ofType(recorded, 'gcp:secretmanager/secret:Secret')).toHaveLength(3);
    const versions = ofType(recorded, 'gcp:secretmanager/secretVersion:SecretVersion').map(
      (r) => r.inputs.secretData,
    );
    // The engine receives each value wrapped as a secret (encrypted in state, masked in logs).
    for (const v of versions)
      expect(v).toEqual({ [SECRET_SIG]: SECRET_SIG_VALUE, value: expect.any(String) });
    expect(versions.map((v) => (v as { value: string }).value).sort()).toEqual(
      [
        `${MOCK_SECRETS.random}-secrets-db-password`,
        `${MOCK_SECRETS.random}-secrets-session-key`,
        MOCK_SECRETS.redisAuth,
      ].sort(),
    );
  });

  it('hands the generated DB password to Cloud SQL as a secret', () => {
    expect(one('gcp:sql/user:User').password).toEqual({
      [SECRET_SIG]: SECRET_SIG_VALUE,
      value: `${MOCK_SECRETS.random}-secrets-db-password`,
    });
  });

  it('never puts a secret value in a stack output', () => {
    const text = JSON.stringify(resolved);
    expect(text).not.toContain(MOCK_SECRETS.random);
    expect(text).not.toContain(MOCK_SECRETS.redisAuth);
  });

  it('keeps secrets out of the stack configuration files', () => {
    const text = JSON.stringify(stackConfig).toLowerCase();
    expect(text).not.toMatch(/password|secure|authstring|session_?key/);
  });
});

describe('outputs for the workloads stack', () => {
  it('exposes the private data-tier endpoints, CAs and edge names', () => {
    expect(resolved).toMatchObject({
      database: { host: '10.64.0.3', port: 5432, serverCa: 'SQL-CA' },
      redis: { host: '10.64.1.4', port: 6378, serverCa: 'REDIS-CA' },
      dataTierCidr: cfg.network.privateServicesCidr,
      gateway: {
        staticAddressName: 'dhakacart-prod-lb-ip',
        sslPolicyName: 'dhakacart-prod-tls12',
        securityPolicyName: 'dhakacart-prod-armor',
      },
    });
  });
});
