import { ConfigError, parsePlatformConfig } from './config-schema';
import { readStackFile } from '../test/stack-config';

/** Maps a stack file's `namespace:key` entries to the shape config.ts builds. */
function fromStack(stack: string): Record<string, unknown> {
  const c = readStackFile(__dirname, stack);
  const ns = 'dhakacart-platform:';
  const out: Record<string, unknown> = { project: c['gcp:project'], region: c['gcp:region'] };
  for (const [k, v] of Object.entries(c)) if (k.startsWith(ns)) out[k.slice(ns.length)] = v;
  return out;
}

function issues(input: unknown): { path: string; message: string }[] {
  try {
    parsePlatformConfig(input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('INVALID_STACK_CONFIG');
    return (e as ConfigError).issues;
  }
}
const issuePaths = (input: unknown): string[] => issues(input).map((i) => i.path);

describe('platform stack configuration', () => {
  it.each(['staging', 'prod', 'dr'])('accepts Pulumi.%s.yaml', (stack) => {
    expect(issuePaths(fromStack(stack))).toEqual([]);
  });

  const broken: [string, (c: any) => void, string][] = [
    ['fewer than 3 zones', (c) => c.zones.pop(), 'zones'],
    ['four zones', (c) => c.zones.push(`${c.region}-d`), 'zones'],
    ['a zone outside the region', (c) => (c.zones[2] = 'europe-west1-b'), 'zones'],
    ['the same zone twice', (c) => (c.zones[2] = c.zones[1]), 'zones'],
    ['a zone of a region sharing the prefix', (c) => (c.zones[2] = `${c.region}0-a`), 'zones'],
    [
      'WAL retention other than 7 days',
      (c) => (c.database.transactionLogRetentionDays = 3),
      'database.transactionLogRetentionDays',
    ],
    [
      'fewer than 14 retained backups',
      (c) => (c.database.retainedBackups = 7),
      'database.retainedBackups',
    ],
    [
      'backups in the primary region',
      (c) => (c.database.backupLocation = c.region),
      'database.backupLocation',
    ],
    [
      'max nodes below min nodes',
      (c) => (c.cluster.minNodesPerZone = c.cluster.maxNodesPerZone + 1),
      'cluster.maxNodesPerZone',
    ],
    [
      'a control-plane range that is not a /28',
      (c) => (c.network.controlPlaneCidr = '172.16.0.0/24'),
      'network.controlPlaneCidr',
    ],
    [
      'a 4-hour window one day a week (GKE needs 48 h per 32 days)',
      (c) => {
        c.cluster.maintenance = {
          startTime: '2026-01-05T19:00:00Z',
          endTime: '2026-01-05T23:00:00Z',
          recurrence: 'FREQ=WEEKLY;BYDAY=TU',
        };
      },
      'cluster.maintenance',
    ],
    [
      'a 2-hour maintenance window',
      (c) => (c.cluster.maintenance.endTime = '2026-01-05T21:00:00Z'),
      'cluster.maintenance',
    ],
    [
      'a load-test pool too small for the runners (one per node)',
      (c) => (c.cluster.loadtest.maxNodesPerZone = Math.floor(c.cluster.loadtest.runners / 3) - 1),
      'cluster.loadtest.maxNodesPerZone',
    ],
    [
      'a public endpoint without authorized networks',
      (c) => {
        c.network.controlPlanePublicEndpoint = true;
        c.network.controlPlaneAuthorizedCidrs = [];
      },
      'network.controlPlaneAuthorizedCidrs',
    ],
    [
      'a public endpoint open to the internet',
      (c) => {
        c.network.controlPlanePublicEndpoint = true;
        c.network.controlPlaneAuthorizedCidrs = [{ name: 'all', cidr: '0.0.0.0/0' }];
      },
      'network.controlPlaneAuthorizedCidrs',
    ],
    [
      'a KMS key in another region',
      (c) =>
        (c.kms.existingKey =
          'projects/dhakacart-prod/locations/europe-west1/keyRings/gke/cryptoKeys/secrets'),
      'kms.existingKey',
    ],
    [
      'a KMS key that is not a key id',
      (c) => (c.kms.existingKey = 'gke-secrets'),
      'kms.existingKey',
    ],
    [
      'NAT ports per VM below the virtual users of one runner',
      (c) => (c.nat.maxPortsPerVm = 4096),
      'nat.maxPortsPerVm',
    ],
    [
      'too few NAT addresses for every load-test node at its port maximum',
      (c) => (c.nat.addresses = 5),
      'nat.addresses',
    ],
    [
      'more NAT addresses than one Cloud Armor rule can exempt',
      (c) => (c.nat.addresses = 11),
      'nat.addresses',
    ],
    [
      'NAT ports that are not a power of two',
      (c) => (c.nat.minPortsPerVm = 1000),
      'nat.minPortsPerVm',
    ],
    [
      'a regional (not multi-region) registry',
      (c) => (c.registry.location = c.region),
      'registry.location',
    ],
    [
      'a multi-region that does not contain the region',
      (c) => (c.registry.location = 'europe'),
      'registry.location',
    ],
    [
      'an unknown Binary Authorization mode',
      (c) => (c.binaryAuthorization.enforcement = 'off'),
      'binaryAuthorization.enforcement',
    ],
    [
      'a CI ref with a quote (it goes into a CEL string)',
      (c) => c.ci.githubRefs.push("refs/heads/x' || true || '"),
      'ci.githubRefs.2',
    ],
    [
      'a CI repository that is not owner/name',
      (c) => (c.ci.githubRepository = 'dhakacart'),
      'ci.githubRepository',
    ],
  ];

  it.each(broken)('rejects %s', (_label, breakIt, path) => {
    const c = fromStack('prod');
    breakIt(c);
    expect(issuePaths(c)).toContain(path);
  });
});

describe('messages an operator can act on', () => {
  it.each([
    [
      'zones',
      (c: any) => c.zones.pop(),
      'must be exactly three different zones of the region (for example <region>-a, -b, -c)',
    ],
    [
      'cluster.loadtest.maxNodesPerZone',
      (c: any) => (c.cluster.loadtest.maxNodesPerZone = 1),
      'the load-test pool cannot hold every k6 runner: maxNodesPerZone x 3 zones must be >= runners (one runner per node)',
    ],
    [
      'network.controlPlaneAuthorizedCidrs',
      (c: any) => {
        c.network.controlPlanePublicEndpoint = true;
        c.network.controlPlaneAuthorizedCidrs = [];
      },
      'a public control-plane endpoint needs at least one authorized network',
    ],
    [
      'kms.existingKey',
      (c: any) => (c.kms.existingKey = 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k'),
      'the KMS key must be in the cluster region (GKE requires it; a key elsewhere fails with its region)',
    ],
  ])('%s', (path, breakIt, message) => {
    const c = fromStack('prod');
    breakIt(c);
    expect(issues(c)).toContainEqual({ path, message });
  });
});
