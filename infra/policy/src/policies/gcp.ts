// Google Cloud guardrails: the data tier is private, highly available and recoverable; nodes are
// private; buckets are versioned and private; no open ingress; no service-account keys.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { TYPES, type Props } from './types';

function forType(
  type: string,
  check: (props: Props, report: (msg: string) => void) => void,
): ResourceValidationPolicy['validateResource'] {
  return (args, reportViolation) => {
    if (args.type === type) check(args.props, (msg) => reportViolation(msg));
  };
}

export const cloudSqlNoPublicIp: ResourceValidationPolicy = {
  name: 'cloudsql-no-public-ip',
  description:
    'Cloud SQL instances have no public IPv4 address and are reached only through the VPC.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.sqlInstance, (p, report) => {
    const ip = p.settings?.ipConfiguration ?? {};
    // The API default for ipv4Enabled is true: it must be set to false explicitly.
    if (ip.ipv4Enabled !== false)
      report('settings.ipConfiguration.ipv4Enabled must be false (no public IP).');
    if (!ip.privateNetwork)
      report('settings.ipConfiguration.privateNetwork must be set (private IP).');
    if ((ip.authorizedNetworks ?? []).length > 0)
      report('settings.ipConfiguration.authorizedNetworks must be empty.');
  }),
};

export const cloudSqlTlsRequired: ResourceValidationPolicy = {
  name: 'cloudsql-tls-required',
  description: 'Cloud SQL refuses unencrypted connections.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.sqlInstance, (p, report) => {
    const mode = p.settings?.ipConfiguration?.sslMode;
    if (mode !== 'ENCRYPTED_ONLY' && mode !== 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') {
      report(
        `settings.ipConfiguration.sslMode must be ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED, got ${String(mode)}.`,
      );
    }
  }),
};

export const cloudSqlHaAndRecovery: ResourceValidationPolicy = {
  name: 'cloudsql-ha-and-pitr',
  description:
    'Cloud SQL is REGIONAL with point-in-time recovery, 7 days of transaction logs, >= 14 backups stored outside its region (ADR 0304) and deletion protection.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.sqlInstance, (p, report) => {
    const s = p.settings ?? {};
    const b = s.backupConfiguration ?? {};
    if (s.availabilityType !== 'REGIONAL')
      report('settings.availabilityType must be REGIONAL (HA with a standby in another zone).');
    if (b.enabled !== true) report('settings.backupConfiguration.enabled must be true.');
    if (b.pointInTimeRecoveryEnabled !== true)
      report('settings.backupConfiguration.pointInTimeRecoveryEnabled must be true.');
    if (!(Number(b.transactionLogRetentionDays) >= 7))
      report('settings.backupConfiguration.transactionLogRetentionDays must be >= 7.');
    // A regional loss must not take the backups with it (docs/adr/0304-cloud-sql-backups-off-region.md).
    if (!b.location || b.location === p.region)
      report(
        'settings.backupConfiguration.location must name a region other than the instance region (backups must survive its loss).',
      );
    if (!(Number(b.backupRetentionSettings?.retainedBackups) >= 14))
      report('settings.backupConfiguration.backupRetentionSettings.retainedBackups must be >= 14.');
    if (p.deletionProtection === false || s.deletionProtectionEnabled !== true) {
      report('deletionProtection and settings.deletionProtectionEnabled must both be on.');
    }
  }),
};

export const memorystoreHaAuthTls: ResourceValidationPolicy = {
  name: 'memorystore-ha-auth-tls',
  description:
    'Memorystore for Redis is STANDARD_HA with AUTH and in-transit encryption, over private service access.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.redisInstance, (p, report) => {
    if (p.tier !== 'STANDARD_HA') report(`tier must be STANDARD_HA, got ${String(p.tier)}.`);
    if (p.authEnabled !== true) report('authEnabled must be true.');
    if (p.transitEncryptionMode !== 'SERVER_AUTHENTICATION')
      report('transitEncryptionMode must be SERVER_AUTHENTICATION.');
    if (p.connectMode !== 'PRIVATE_SERVICE_ACCESS')
      report('connectMode must be PRIVATE_SERVICE_ACCESS.');
  }),
};

export const gkePrivateNodes: ResourceValidationPolicy = {
  name: 'gke-private-nodes',
  description: 'GKE nodes have no public IPs; Workload Identity and Shielded Nodes are on.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const p = args.props;
    if (args.type === TYPES.gkeCluster) {
      if (p.privateClusterConfig?.enablePrivateNodes !== true)
        reportViolation('privateClusterConfig.enablePrivateNodes must be true.');
      if (!p.workloadIdentityConfig?.workloadPool)
        reportViolation('workloadIdentityConfig.workloadPool must be set.');
      if (p.enableShieldedNodes === false)
        reportViolation('enableShieldedNodes must not be false.');
    }
    if (args.type === TYPES.gkeNodePool && p.networkConfig?.enablePrivateNodes === false) {
      reportViolation('networkConfig.enablePrivateNodes must not be false.');
    }
  },
};

export const bucketVersionedPrivate: ResourceValidationPolicy = {
  name: 'gcs-bucket-versioned-private',
  description: 'Buckets are versioned, uniformly access-controlled and never public.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.bucket, (p, report) => {
    if (p.versioning?.enabled !== true) report('versioning.enabled must be true.');
    if (p.uniformBucketLevelAccess !== true) report('uniformBucketLevelAccess must be true.');
    if (p.publicAccessPrevention !== 'enforced')
      report('publicAccessPrevention must be "enforced".');
  }),
};

export const firewallNoOpenIngress: ResourceValidationPolicy = {
  name: 'firewall-no-open-ingress',
  description: 'No firewall rule allows ingress from the whole internet.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.firewall, (p, report) => {
    const ingress = (p.direction ?? 'INGRESS') === 'INGRESS';
    if (ingress && (p.allows ?? []).length > 0 && (p.sourceRanges ?? []).includes('0.0.0.0/0')) {
      report('an INGRESS allow rule must not have 0.0.0.0/0 in sourceRanges.');
    }
  }),
};

export const noServiceAccountKeys: ResourceValidationPolicy = {
  name: 'no-service-account-keys',
  description:
    'No long-lived service-account keys: workloads use Workload Identity, CI uses Workload Identity Federation.',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.serviceAccountKey, (_p, report) =>
    report('service-account keys are forbidden; use Workload Identity (Federation).'),
  ),
};

/** Cloud SQL flags the CIS Google Cloud Foundations Benchmark requires for PostgreSQL. */
export const CIS_SQL_FLAGS: Record<string, string> = {
  log_connections: 'on',
  log_disconnections: 'on',
  'cloudsql.enable_pgaudit': 'on',
  log_min_duration_statement: '-1',
};

export const cloudSqlConnectionLogging: ResourceValidationPolicy = {
  name: 'cloudsql-connection-logging',
  description:
    'Cloud SQL for PostgreSQL logs connections and disconnections, audits with pgaudit and never logs statements by duration (CIS).',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.sqlInstance, (p, report) => {
    if (!String(p.databaseVersion ?? '').startsWith('POSTGRES')) return;
    const flags = new Map<string, string>(
      (p.settings?.databaseFlags ?? []).map((f: Props) => [String(f.name), String(f.value)]),
    );
    for (const [name, want] of Object.entries(CIS_SQL_FLAGS)) {
      if (flags.get(name) !== want)
        report(
          `settings.databaseFlags ${name} must be ${want}, got ${flags.get(name) ?? 'unset'}.`,
        );
    }
    if (flags.get('cloudsql.enable_pgaudit') === 'on' && !flags.get('pgaudit.log'))
      report('settings.databaseFlags pgaudit.log must say what to audit (for example ddl,role).');
  }),
};

const KMS_LOCATION = /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

export const gkeSecretsEncryption: ResourceValidationPolicy = {
  name: 'gke-secrets-encryption',
  description:
    'GKE encrypts Kubernetes Secrets in etcd with a Cloud KMS key in the cluster region (CIS GKE).',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.gkeCluster, (p, report) => {
    const enc = p.databaseEncryption;
    if (!enc) {
      report('databaseEncryption must be set: state ENCRYPTED with a Cloud KMS key.');
      return;
    }
    if (enc.state !== 'ENCRYPTED') report('databaseEncryption.state must be ENCRYPTED.');
    if (!enc.keyName) {
      report('databaseEncryption.keyName must name a Cloud KMS key.');
      return;
    }
    const location = KMS_LOCATION.exec(String(enc.keyName))?.[1];
    if (!location)
      report(`databaseEncryption.keyName must be a KMS key id, got ${String(enc.keyName)}.`);
    else if (p.location && location !== p.location)
      report(
        `databaseEncryption.keyName is in ${location}, the cluster in ${String(p.location)}: the key must be in the cluster region.`,
      );
  }),
};

export const gkePrivateControlPlane: ResourceValidationPolicy = {
  name: 'gke-no-public-control-plane',
  description:
    'The GKE control plane has only its private endpoint, and Google Cloud public IPs are not authorised (CIS GKE).',
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.gkeCluster, (p, report) => {
    if (p.privateClusterConfig?.enablePrivateEndpoint !== true)
      report('privateClusterConfig.enablePrivateEndpoint must be true (no public endpoint).');
    const man = p.masterAuthorizedNetworksConfig;
    if (!man) report('masterAuthorizedNetworksConfig must be set.');
    else {
      if (man.gcpPublicCidrsAccessEnabled !== false)
        report('masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled must be false.');
      if ((man.cidrBlocks ?? []).some((b: Props) => b.cidrBlock === '0.0.0.0/0'))
        report('masterAuthorizedNetworksConfig.cidrBlocks must not include 0.0.0.0/0.');
    }
  }),
};

export const gkeBinaryAuthorization: ResourceValidationPolicy = {
  name: 'gke-binary-authorization',
  description:
    "GKE evaluates the project's Binary Authorization policy (dry-run or enforced there).",
  enforcementLevel: 'mandatory',
  validateResource: forType(TYPES.gkeCluster, (p, report) => {
    if (p.binaryAuthorization?.evaluationMode !== 'PROJECT_SINGLETON_POLICY_ENFORCE')
      report('binaryAuthorization.evaluationMode must be PROJECT_SINGLETON_POLICY_ENFORCE.');
  }),
};

export const gcpPolicies = [
  cloudSqlNoPublicIp,
  cloudSqlTlsRequired,
  cloudSqlHaAndRecovery,
  memorystoreHaAuthTls,
  gkePrivateNodes,
  bucketVersionedPrivate,
  firewallNoOpenIngress,
  noServiceAccountKeys,
  cloudSqlConnectionLogging,
  gkeSecretsEncryption,
  gkePrivateControlPlane,
  gkeBinaryAuthorization,
];
