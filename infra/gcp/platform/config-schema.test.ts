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

function issuePaths(input: unknown): string[] {
  try {
    parsePlatformConfig(input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('INVALID_STACK_CONFIG');
    return (e as ConfigError).issues.map((i) => i.path);
  }
}

describe('platform stack configuration', () => {
  it.each(['staging', 'prod'])('accepts Pulumi.%s.yaml', (stack) => {
    expect(issuePaths(fromStack(stack))).toEqual([]);
  });

  const broken: [string, (c: any) => void, string][] = [
    ['fewer than 3 zones', (c) => c.zones.pop(), 'zones'],
    ['a zone outside the region', (c) => (c.zones[2] = 'europe-west1-b'), 'zones'],
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
