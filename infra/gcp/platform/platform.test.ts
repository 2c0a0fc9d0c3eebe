import * as pulumi from '@pulumi/pulumi';
import { run as cel } from '@bufbuild/cel';
import {
  installMocks,
  MOCK_PROJECT_NUMBER,
  MOCK_SECRETS,
  ofType,
  resolveAll,
  settle,
  waitsFor,
  type Recorded,
} from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';

const recorded: Recorded[] = installMocks('dhakacart-platform', 'prod');
const stackConfig = readStackFile(__dirname, 'prod');
pulumi.runtime.setAllConfig(asRuntimeConfig(stackConfig));

// Imported after the mocks and config are in place, as `pulumi up` would load them.
import { loadPlatformConfig } from './config';
import { createPlatform, type PlatformOutputs } from './platform';
import { DENY_ALL_PRIORITY, NODE_TAG } from './components/network';
import { OWASP_RULES, OWN_EGRESS_PRIORITY } from './components/edge';
import { CHAOS_FAILOVER_PERMISSIONS } from './components/identities';
import { ADDON_IMAGE_PATTERNS } from './components/binary-authorization';

/** How the Pulumi SDK marks a secret value on the wire (sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';

let outputs: PlatformOutputs;
let resolved: Record<string, unknown>;
const cfg = loadPlatformConfig();
type Inputs = Record<string, any>;
const oneRecord = (type: string): Recorded => {
  const found = ofType(recorded, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const one = (type: string): Inputs => oneRecord(type).inputs as Inputs;
const CLUSTER = 'gcp:container/cluster:Cluster';

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

  it('logs connections and disconnections, audits with pgaudit and never logs statements by duration (CIS)', () => {
    const flags = Object.fromEntries(
      (one('gcp:sql/databaseInstance:DatabaseInstance').settings.databaseFlags as Inputs[]).map(
        (f) => [f.name, f.value],
      ),
    );
    expect(flags).toMatchObject({
      log_connections: 'on',
      log_disconnections: 'on',
      'cloudsql.enable_pgaudit': 'on',
      log_min_duration_statement: '-1',
    });
    expect(flags['pgaudit.log']).toMatch(/ddl/);
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
    expect(c.binaryAuthorization.evaluationMode).toBe('PROJECT_SINGLETON_POLICY_ENFORCE');
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

  it('gives the temporary default pool the node tag, so its nodes pass the deny-all egress and register', () => {
    const c = one(CLUSTER);
    expect(c.removeDefaultNodePool).toBe(true);
    expect(c.nodeConfig.tags).toEqual([NODE_TAG]);
    expect(c.nodeConfig.serviceAccount).toBeDefined();
    expect(c.nodeConfig.workloadMetadataConfig.mode).toBe('GKE_METADATA');
    // Every egress allow rule targets exactly this tag; an untagged node meets only deny-all.
    const egressAllows = ofType(recorded, 'gcp:compute/firewall:Firewall')
      .map((r) => r.inputs as Inputs)
      .filter((r) => r.direction === 'EGRESS' && r.allows);
    expect(egressAllows.length).toBeGreaterThan(0);
    for (const r of egressAllows) expect(r.targetTags).toEqual(c.nodeConfig.tags);
  });

  it('encrypts Secrets in etcd with a Cloud KMS key of its own region, usable by the GKE service agent', () => {
    const c = one(CLUSTER);
    expect(c.databaseEncryption.state).toBe('ENCRYPTED');
    expect(c.databaseEncryption.keyName).toMatch(
      new RegExp(
        `^projects/${cfg.project}/locations/${cfg.region}/keyRings/[^/]+/cryptoKeys/gke-secrets$`,
      ),
    );
    const key = ofType(recorded, 'gcp:kms/cryptoKey:CryptoKey').find(
      (k) => k.inputs.purpose === 'ENCRYPT_DECRYPT',
    )!;
    expect(key.inputs.rotationPeriod).toBe(`${cfg.kms.rotationDays * 86400}s`);
    const access = ofType(recorded, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember').find(
      (m) => m.inputs.cryptoKeyId === c.databaseEncryption.keyName,
    )!;
    expect(access.inputs).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:service-${MOCK_PROJECT_NUMBER}@container-engine-robot.iam.gserviceaccount.com`,
    });
    // GKE refuses to create the cluster before its agent may use the key.
    expect(waitsFor(recorded, oneRecord(CLUSTER), access)).toBe(true);
  });

  it('has no public control-plane endpoint and is reached through Connect Gateway', () => {
    const c = one(CLUSTER);
    expect(c.privateClusterConfig.enablePrivateEndpoint).toBe(true);
    expect(c.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled).toBe(false);
    const membership = one('gcp:gkehub/membership:Membership');
    expect(membership.endpoint.gkeCluster.resourceLink).toBe(
      `//container.googleapis.com/projects/${cfg.project}/locations/${cfg.region}/clusters/dhakacart-prod-gke`,
    );
    expect((resolved.cluster as Inputs).gatewayUrl).toBe(
      `https://connectgateway.googleapis.com/v1/projects/${MOCK_PROJECT_NUMBER}/locations/global/gkeMemberships/${membership.membershipId}`,
    );
    const apis = ofType(recorded, 'gcp:projects/service:Service').map((s) => s.inputs.service);
    expect(apis).toEqual(
      expect.arrayContaining(['gkehub.googleapis.com', 'connectgateway.googleapis.com']),
    );
  });

  it('keeps load-test runners on a separate tainted pool', () => {
    const lt = ofType(recorded, 'gcp:container/nodePool:NodePool')
      .map((r) => r.inputs as Inputs)
      .find((p) => p.name === 'loadtest')!;
    expect(lt.nodeConfig.taints).toEqual([
      { key: 'dhakacart.io/pool', value: 'loadtest', effect: 'NO_SCHEDULE' },
    ]);
    expect(lt.autoscaling.minNodeCount).toBe(0);
    // One runner per node (TestRun separate: true): the pool must hold every runner.
    expect(lt.autoscaling.maxNodeCount * lt.nodeLocations.length).toBeGreaterThanOrEqual(
      cfg.cluster.loadtest.runners,
    );
  });
});

describe('ordering on a fresh project', () => {
  it('binds Workload Identity only after the cluster (and so its identity pool) exists', () => {
    const cluster = oneRecord(CLUSTER);
    const bindings = ofType(recorded, 'gcp:serviceaccount/iAMMember:IAMMember').filter((b) =>
      String(b.inputs.member).includes('.svc.id.goog['),
    );
    expect(bindings.map((b) => b.inputs.member)).toEqual([
      `serviceAccount:${cfg.project}.svc.id.goog[external-secrets/external-secrets]`,
      `serviceAccount:${cfg.project}.svc.id.goog[velero/velero]`,
      `serviceAccount:${cfg.project}.svc.id.goog[chaos-experiments/default]`,
      `serviceAccount:${cfg.project}.svc.id.goog[dhakacart/db-drill]`,
      `serviceAccount:${cfg.project}.svc.id.goog[logging/loki]`,
    ]);
    for (const b of bindings) expect(waitsFor(recorded, b, cluster)).toBe(true);
  });

  it('the dependency check itself sees a resource that does not wait for the cluster', () => {
    const cluster = oneRecord(CLUSTER);
    const bucket = ofType(recorded, 'gcp:storage/bucket:Bucket').find(
      (b) => b.name === 'velero-bucket',
    )!;
    expect(waitsFor(recorded, bucket, cluster)).toBe(false);
  });
});

describe('Binary Authorization', () => {
  it('requires the release attestor, in dry-run (audit only) as the stack config says', () => {
    const policy = one('gcp:binaryauthorization/policy:Policy');
    const attestor = oneRecord('gcp:binaryauthorization/attestor:Attestor');
    expect(cfg.binaryAuthorization.enforcement).toBe('dry-run');
    expect(policy.defaultAdmissionRule).toEqual({
      evaluationMode: 'REQUIRE_ATTESTATION',
      enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY',
      requireAttestationsBies: [
        `projects/${cfg.project}/attestors/${String(attestor.inputs.name)}`,
      ],
    });
    expect(policy.globalPolicyEvaluationMode).toBe('ENABLE');
    expect(policy.admissionWhitelistPatterns).toEqual(
      ADDON_IMAGE_PATTERNS.map((namePattern) => ({ namePattern })),
    );
    // The store's own images are never exempt: they must be attested.
    for (const p of ADDON_IMAGE_PATTERNS) expect(p).not.toMatch(/docker\.pkg\.dev/);
  });

  it("verifies attestations with the KMS signing key's public key", () => {
    const note = one('gcp:containeranalysis/note:Note');
    const attestor = one('gcp:binaryauthorization/attestor:Attestor');
    expect(attestor.attestationAuthorityNote.noteReference).toBe(note.name);
    expect(attestor.attestationAuthorityNote.publicKeys[0]).toMatchObject({
      id: expect.stringMatching(/cryptoKeys\/release-attestor\/cryptoKeyVersions\/1$/),
      pkixPublicKey: { signatureAlgorithm: 'EC_SIGN_P256_SHA256' },
    });
    const signing = ofType(recorded, 'gcp:kms/cryptoKey:CryptoKey').find(
      (k) => k.inputs.purpose === 'ASYMMETRIC_SIGN',
    )!;
    expect(signing.inputs.versionTemplate).toEqual({ algorithm: 'EC_SIGN_P256_SHA256' });
  });

  it('lets CI sign, attach to the note and read the attestor, and nothing wider', () => {
    const ci = (type: string) =>
      ofType(recorded, type)
        .filter((m) => String(m.inputs.member).includes('-ci@') || m.name.includes('-ci-'))
        .map((m) => m.inputs.role);
    expect(ci('gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember')).toEqual([
      'roles/cloudkms.signerVerifier',
    ]);
    expect(ci('gcp:containeranalysis/noteIamMember:NoteIamMember')).toEqual([
      'roles/containeranalysis.notes.attacher',
    ]);
    expect(ci('gcp:binaryauthorization/attestorIamMember:AttestorIamMember')).toEqual([
      'roles/binaryauthorization.attestorsViewer',
    ]);
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

  it('lets egress reach the internet only over HTTPS (through Cloud NAT), and SMTP to the relay', () => {
    const open = rules().filter(
      (r) => r.direction === 'EGRESS' && r.allows && r.destinationRanges.includes('0.0.0.0/0'),
    );
    expect(open.map((r) => r.allows)).toEqual([[{ protocol: 'tcp', ports: ['443'] }]]);
    const smtp = rules().find((r) => r.name === 'dhakacart-prod-allow-smtp-relay-egress')!;
    expect(smtp).toMatchObject({
      allows: [{ protocol: 'tcp', ports: ['587'] }],
      destinationRanges: cfg.network.smtpRelayCidrs,
    });
  });

  it('sizes Cloud NAT with dynamic port allocation, enough for one k6 runner per node', () => {
    const nat = one('gcp:compute/routerNat:RouterNat');
    expect(nat).toMatchObject({
      enableDynamicPortAllocation: true,
      enableEndpointIndependentMapping: false,
      minPortsPerVm: cfg.nat.minPortsPerVm,
      maxPortsPerVm: cfg.nat.maxPortsPerVm,
    });
    // 256 static ports per VM was the defect: a runner holds one connection per virtual user.
    expect(nat.maxPortsPerVm).toBeGreaterThanOrEqual(cfg.cluster.loadtest.vusPerRunner);
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
    const b = ofType(recorded, 'gcp:storage/bucket:Bucket').find((x) => x.name === 'velero-bucket')!
      .inputs as Inputs;
    expect(b.versioning).toEqual({ enabled: true });
    expect(b.publicAccessPrevention).toBe('enforced');
    expect(b.softDeletePolicy.retentionDurationSeconds).toBe(cfg.backups.softDeleteDays * 86400);
  });

  it('scans images in a multi-region Artifact Registry (survives a region loss) and keeps tags immutable', () => {
    const r = one('gcp:artifactregistry/repository:Repository');
    expect(r.location).toBe('asia');
    expect(resolved.registryUrl).toBe(`asia-docker.pkg.dev/${cfg.project}/dhakacart`);
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

  it("never bans the cluster's own Cloud NAT addresses (the k6 runners), after the WAF rules", () => {
    const rules = one('gcp:compute/securityPolicy:SecurityPolicy').rules as Inputs[];
    const nat = one('gcp:compute/routerNat:RouterNat');
    const addresses = ofType(recorded, 'gcp:compute/address:Address');
    expect(nat.natIpAllocateOption).toBe('MANUAL_ONLY');
    expect(nat.natIps).toHaveLength(cfg.nat.addresses);
    expect(addresses).toHaveLength(cfg.nat.addresses);
    const own = rules.find((r) => r.priority === OWN_EGRESS_PRIORITY)!;
    expect(own.action).toBe('allow');
    expect([...own.match.config.srcIpRanges].sort()).toEqual(
      (resolved.natAddresses as string[]).map((ip) => `${ip}/32`).sort(),
    );
    expect((resolved.natAddresses as string[]).every((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip))).toBe(
      true,
    );
    const ban = rules.find((r) => r.action === 'rate_based_ban')!;
    const waf = rules.filter((r) => r.action === 'deny(403)').map((r) => r.priority as number);
    expect(own.priority).toBeLessThan(ban.priority);
    expect(Math.max(...waf)).toBeLessThan(own.priority);
  });

  it('terminates TLS 1.2+ only with a Google-managed certificate', () => {
    expect(one('gcp:compute/sSLPolicy:SSLPolicy').minTlsVersion).toBe('TLS_1_2');
    expect(one('gcp:certificatemanager/certificate:Certificate').managed.domains).toEqual([
      cfg.edge.domain,
    ]);
  });
});

describe('identities', () => {
  it("lets External Secrets read only the app's and alerting's secrets (no project-wide accessor)", () => {
    expect(ofType(recorded, 'gcp:secretmanager/secretIamMember:SecretIamMember')).toHaveLength(6);
    const projectRoles = ofType(recorded, 'gcp:projects/iAMMember:IAMMember').map(
      (r) => r.inputs.role,
    );
    expect(projectRoles).not.toContain('roles/secretmanager.secretAccessor');
    expect(projectRoles).not.toContain('roles/owner');
    expect(projectRoles).not.toContain('roles/editor');
  });

  it('federates GitHub Actions with no service-account keys', () => {
    expect(ofType(recorded, 'gcp:serviceaccount/key:Key')).toHaveLength(0);
  });

  // The condition is evaluated by a real CEL implementation, as Google's STS would.
  const accepts = (repository: string, ref: string): boolean => {
    const p = one('gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider');
    return cel(p.attributeCondition as string, {
      assertion: new Map([
        ['repository', repository],
        ['ref', ref],
      ]),
    }) as boolean;
  };

  it.each([
    ['the main branch', 'refs/heads/main'],
    ['a release tag', 'refs/tags/v1.4.0'],
    ['a pre-release tag', 'refs/tags/v2.0.0-rc.1'],
  ])('accepts %s of the repository', (_label, ref) => {
    expect(accepts(cfg.ci.githubRepository, ref)).toBe(true);
  });

  it.each([
    ['a feature branch', 'dhakacart/dhakacart', 'refs/heads/feature-x'],
    ['a tag without the v prefix', 'dhakacart/dhakacart', 'refs/tags/1.4.0'],
    ['a branch named like a tag', 'dhakacart/dhakacart', 'refs/heads/v1.4.0'],
    ['a pull request', 'dhakacart/dhakacart', 'refs/pull/7/merge'],
    ['another repository on main', 'someone/fork', 'refs/heads/main'],
  ])('refuses %s', (_label, repository, ref) => {
    expect(accepts(repository, ref)).toBe(false);
  });
});

describe('identities for the game day, the restore drill and the log store', () => {
  const roleOf = (id: string) =>
    ofType(recorded, 'gcp:projects/iAMCustomRole:IAMCustomRole').find((r) => r.name === id)!
      .inputs as Inputs;
  const projectMembers = () =>
    ofType(recorded, 'gcp:projects/iAMMember:IAMMember').map((r) => r.inputs as Inputs);

  it('lets the chaos Task pods fail Cloud SQL and Memorystore over, and nothing else', () => {
    expect([...roleOf('identities-chaos-failover-role').permissions].sort()).toEqual(
      [...CHAOS_FAILOVER_PERMISSIONS].sort(),
    );
    const chaos = projectMembers().filter((m) => String(m.member).includes('-chaos@'));
    expect(chaos.map((m) => m.role)).toEqual([
      expect.stringMatching(/dhakacart_prod_chaos_failover/),
    ]);
  });

  it('lets the clone drill delete only its own clones, never the live instance', () => {
    const members = projectMembers().filter((m) => String(m.member).includes('-db-drill@'));
    const conditional = members.filter((m) => m.condition);
    expect(conditional).toHaveLength(1);
    expect(conditional[0]!.role).toMatch(/db_drill_clones/);
    expect(conditional[0]!.condition.expression).toBe(
      `resource.name.startsWith("projects/${cfg.project}/instances/dhakacart-prod-pg-drill-")`,
    );
    expect(roleOf('identities-db-drill-clones-role').permissions).toContain(
      'cloudsql.instances.delete',
    );
    // The unconditional role can clone and read the source, but not change or delete anything.
    const source = roleOf('identities-db-drill-source-role').permissions as string[];
    expect(source.filter((x) => /delete|update|create|failover|restore/.test(x))).toEqual([]);
  });

  it('gives Loki its two multi-region, versioned buckets and nothing else', () => {
    const buckets = ofType(recorded, 'gcp:storage/bucket:Bucket').filter((b) =>
      b.name.startsWith('log-buckets-'),
    );
    expect(buckets.map((b) => b.inputs.name).sort()).toEqual([
      `${cfg.project}-logs-chunks`,
      `${cfg.project}-logs-ruler`,
    ]);
    for (const b of buckets)
      expect(b.inputs).toMatchObject({
        location: cfg.logs.bucketLocation,
        versioning: { enabled: true },
        publicAccessPrevention: 'enforced',
        lifecycleRules: expect.arrayContaining([
          { action: { type: 'Delete' }, condition: { age: cfg.logs.retentionDays + 1 } },
        ]),
      });
    const lokiGrants = ofType(recorded, 'gcp:storage/bucketIAMMember:BucketIAMMember').filter((m) =>
      String(m.inputs.member).includes('-loki@'),
    );
    expect(lokiGrants.map((m) => m.inputs.bucket).sort()).toEqual([
      `${cfg.project}-logs-chunks`,
      `${cfg.project}-logs-ruler`,
    ]);
    expect(projectMembers().filter((m) => String(m.member).includes('-loki@'))).toEqual([]);
  });
});

describe('secrets', () => {
  it('stores the DB password, Redis AUTH and session key as Secret Manager versions', () => {
    // Plus Alertmanager's three receiver credentials, whose versions an operator adds.
    expect(ofType(recorded, 'gcp:secretmanager/secret:Secret')).toHaveLength(6);
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
  it('sizes the peak TestRun: runners, VUs per runner and the pool the runners may fill', () => {
    expect(resolved.loadtest).toEqual({
      runners: cfg.cluster.loadtest.runners,
      vusPerRunner: cfg.cluster.loadtest.vusPerRunner,
      poolMaxNodes: cfg.cluster.loadtest.maxNodesPerZone * cfg.zones.length,
    });
  });

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
