import { resourceViolations } from '../testing';
import * as f from '../fixtures';
import * as gcp from './gcp';
import { TYPES, type Props } from './types';
import type { ResourceValidationPolicy } from '@pulumi/policy';

type Case = [string, (p: Props) => void, RegExp];

function suite(policy: ResourceValidationPolicy, type: string, valid: () => Props, cases: Case[]) {
  describe(policy.name, () => {
    it('passes the valid fixture', async () => {
      expect(await resourceViolations(policy, type, valid())).toEqual([]);
    });
    it('ignores other resource types', async () => {
      expect(await resourceViolations(policy, 'gcp:compute/network:Network', {})).toEqual([]);
    });
    it.each(cases)('reports %s', async (_label, breakIt, message) => {
      const props = valid();
      breakIt(props);
      const found = await resourceViolations(policy, type, props);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });
  });
}

suite(gcp.cloudSqlNoPublicIp, TYPES.sqlInstance, f.validSqlInstance, [
  [
    'a public IPv4 address',
    (p) => (p.settings.ipConfiguration.ipv4Enabled = true),
    /ipv4Enabled must be false/,
  ],
  [
    'ipv4Enabled left to the API default',
    (p) => delete p.settings.ipConfiguration.ipv4Enabled,
    /ipv4Enabled must be false/,
  ],
  ['no private network', (p) => delete p.settings.ipConfiguration.privateNetwork, /privateNetwork/],
  [
    'authorized networks',
    (p) => (p.settings.ipConfiguration.authorizedNetworks = [{ value: '0.0.0.0/0' }]),
    /authorizedNetworks/,
  ],
]);

suite(gcp.cloudSqlTlsRequired, TYPES.sqlInstance, f.validSqlInstance, [
  [
    'unencrypted connections allowed',
    (p) => (p.settings.ipConfiguration.sslMode = 'ALLOW_UNENCRYPTED_AND_ENCRYPTED'),
    /sslMode/,
  ],
  ['no sslMode', (p) => delete p.settings.ipConfiguration.sslMode, /sslMode/],
]);

suite(gcp.cloudSqlHaAndRecovery, TYPES.sqlInstance, f.validSqlInstance, [
  ['a ZONAL instance', (p) => (p.settings.availabilityType = 'ZONAL'), /REGIONAL/],
  [
    'backups off',
    (p) => (p.settings.backupConfiguration.enabled = false),
    /backupConfiguration.enabled/,
  ],
  [
    'PITR off',
    (p) => (p.settings.backupConfiguration.pointInTimeRecoveryEnabled = false),
    /pointInTimeRecoveryEnabled/,
  ],
  [
    '3 days of transaction logs',
    (p) => (p.settings.backupConfiguration.transactionLogRetentionDays = 3),
    /transactionLogRetentionDays/,
  ],
  [
    'backups kept in the instance region',
    (p) => (p.settings.backupConfiguration.location = p.region),
    /backupConfiguration.location must name a region other than/,
  ],
  [
    'backups at the default (multi-)region, unstated',
    (p) => delete p.settings.backupConfiguration.location,
    /backupConfiguration.location/,
  ],
  [
    '7 retained backups',
    (p) => (p.settings.backupConfiguration.backupRetentionSettings.retainedBackups = 7),
    /retainedBackups/,
  ],
  [
    'deletion protection off',
    (p) => (p.settings.deletionProtectionEnabled = false),
    /deletionProtection/,
  ],
]);

suite(gcp.memorystoreHaAuthTls, TYPES.redisInstance, f.validRedis, [
  ['a BASIC tier', (p) => (p.tier = 'BASIC'), /STANDARD_HA/],
  ['AUTH off', (p) => (p.authEnabled = false), /authEnabled/],
  ['TLS off', (p) => (p.transitEncryptionMode = 'DISABLED'), /transitEncryptionMode/],
  ['direct peering', (p) => (p.connectMode = 'DIRECT_PEERING'), /connectMode/],
]);

suite(gcp.gkePrivateNodes, TYPES.gkeCluster, f.validCluster, [
  [
    'public nodes',
    (p) => (p.privateClusterConfig.enablePrivateNodes = false),
    /enablePrivateNodes/,
  ],
  ['no Workload Identity', (p) => delete p.workloadIdentityConfig, /workloadPool/],
  ['Shielded Nodes off', (p) => (p.enableShieldedNodes = false), /enableShieldedNodes/],
]);

suite(gcp.gkePrivateNodes, TYPES.gkeNodePool, f.validNodePool, [
  [
    'a node pool with public nodes',
    (p) => (p.networkConfig.enablePrivateNodes = false),
    /enablePrivateNodes/,
  ],
]);

suite(gcp.bucketVersionedPrivate, TYPES.bucket, f.validBucket, [
  ['versioning off', (p) => (p.versioning.enabled = false), /versioning/],
  ['fine-grained ACLs', (p) => (p.uniformBucketLevelAccess = false), /uniformBucketLevelAccess/],
  [
    'public access possible',
    (p) => (p.publicAccessPrevention = 'inherited'),
    /publicAccessPrevention/,
  ],
]);

suite(gcp.firewallNoOpenIngress, TYPES.firewall, f.validFirewall, [
  ['ingress from the whole internet', (p) => p.sourceRanges.push('0.0.0.0/0'), /0\.0\.0\.0\/0/],
  [
    'ingress from the internet with direction left to its default',
    (p) => {
      delete p.direction;
      p.sourceRanges = ['0.0.0.0/0'];
    },
    /0\.0\.0\.0\/0/,
  ],
]);

describe('firewall-no-open-ingress, deny rules', () => {
  it('allows a deny-all rule from 0.0.0.0/0 (that is the default deny)', async () => {
    const deny = {
      direction: 'INGRESS',
      denies: [{ protocol: 'all' }],
      sourceRanges: ['0.0.0.0/0'],
    };
    expect(await resourceViolations(gcp.firewallNoOpenIngress, TYPES.firewall, deny)).toEqual([]);
  });
});

describe(gcp.noServiceAccountKeys.name, () => {
  it('refuses any service-account key', async () => {
    expect(
      await resourceViolations(gcp.noServiceAccountKeys, TYPES.serviceAccountKey, {
        serviceAccountId: 'x',
      }),
    ).toHaveLength(1);
  });
  it('ignores service accounts themselves', async () => {
    expect(
      await resourceViolations(gcp.noServiceAccountKeys, 'gcp:serviceaccount/account:Account', {
        accountId: 'x',
      }),
    ).toEqual([]);
  });
});

const setFlag = (p: Props, name: string, value: string | undefined) => {
  const flags = p.settings.databaseFlags as Props[];
  const i = flags.findIndex((f) => f.name === name);
  if (value === undefined) flags.splice(i, 1);
  else flags[i] = { name, value };
};

suite(gcp.cloudSqlConnectionLogging, TYPES.sqlInstance, f.validSqlInstance, [
  ['connections not logged', (p) => setFlag(p, 'log_connections', 'off'), /log_connections/],
  [
    'disconnections not logged',
    (p) => setFlag(p, 'log_disconnections', undefined),
    /log_disconnections must be on, got unset/,
  ],
  ['pgaudit off', (p) => setFlag(p, 'cloudsql.enable_pgaudit', 'off'), /enable_pgaudit/],
  ['pgaudit with nothing to audit', (p) => setFlag(p, 'pgaudit.log', undefined), /pgaudit\.log/],
  [
    'statements logged after 500 ms',
    (p) => setFlag(p, 'log_min_duration_statement', '500'),
    /log_min_duration_statement must be -1, got 500/,
  ],
]);

suite(gcp.gkeSecretsEncryption, TYPES.gkeCluster, f.validCluster, [
  ['Secrets not encrypted', (p) => (p.databaseEncryption.state = 'DECRYPTED'), /state/],
  ['no databaseEncryption', (p) => delete p.databaseEncryption, /must be set/],
  [
    'a key in another region',
    (p) =>
      (p.databaseEncryption.keyName = 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k'),
    /in europe-west1, the cluster in asia-south1/,
  ],
  ['a key name that is no key', (p) => (p.databaseEncryption.keyName = 'gke'), /KMS key id/],
]);

suite(gcp.gkePrivateControlPlane, TYPES.gkeCluster, f.validCluster, [
  [
    'a public endpoint',
    (p) => (p.privateClusterConfig.enablePrivateEndpoint = false),
    /enablePrivateEndpoint/,
  ],
  [
    'the public endpoint left to the API default',
    (p) => delete p.privateClusterConfig.enablePrivateEndpoint,
    /enablePrivateEndpoint/,
  ],
  [
    'Google Cloud public IPs authorised',
    (p) => delete p.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled,
    /gcpPublicCidrsAccessEnabled/,
  ],
  [
    'the whole internet authorised',
    (p) =>
      p.masterAuthorizedNetworksConfig.cidrBlocks.push({
        displayName: 'all',
        cidrBlock: '0.0.0.0/0',
      }),
    /0\.0\.0\.0\/0/,
  ],
  [
    'no authorized networks block',
    (p) => delete p.masterAuthorizedNetworksConfig,
    /masterAuthorizedNetworksConfig must be set/,
  ],
]);

suite(gcp.gkeBinaryAuthorization, TYPES.gkeCluster, f.validCluster, [
  ['Binary Authorization off', (p) => delete p.binaryAuthorization, /evaluationMode/],
  [
    'Binary Authorization disabled explicitly',
    (p) => (p.binaryAuthorization.evaluationMode = 'DISABLED'),
    /PROJECT_SINGLETON_POLICY_ENFORCE/,
  ],
]);
