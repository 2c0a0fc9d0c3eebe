// Runs the entry point exactly as `pulumi up` would (config from Pulumi.staging.yaml through
// config.ts), and checks the stack exports the workloads stack reads.
import * as pulumi from '@pulumi/pulumi';
import { installMocks, resolveAll, settle } from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';

const recorded = installMocks('dhakacart-platform', 'staging');
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(__dirname, 'staging')));

describe('platform entry point (staging)', () => {
  it('exports every output the workloads stack requires', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require('./index') as Record<string, unknown>;
    const exported = (await resolveAll(program)) as Record<string, unknown>;
    await settle(recorded);
    for (const key of [
      'projectId',
      'environment',
      'domain',
      'region',
      'cluster',
      'network',
      'loadtest',
      'database',
      'redis',
      'dataTierCidr',
      'secretIds',
      'gateway',
      'serviceAccounts',
      'veleroBucket',
    ]) {
      expect(exported[key]).toBeDefined();
    }
    expect(exported).toMatchObject({
      projectId: 'dhakacart-staging',
      environment: 'staging',
      domain: 'staging.dhakacart.example',
    });
    // Staging is small but has the same shape: HA data tier, three zones.
    const redis = recorded.find((r) => r.type === 'gcp:redis/instance:Instance')!.inputs;
    expect(redis).toMatchObject({
      tier: 'STANDARD_HA',
      memorySizeGb: 1,
      readReplicasMode: 'READ_REPLICAS_DISABLED',
    });
  });

  it('refuses to start with invalid configuration, naming the bad key', () => {
    pulumi.runtime.setAllConfig(
      asRuntimeConfig({
        ...readStackFile(__dirname, 'staging'),
        'dhakacart-platform:zones': ['asia-south1-a'],
      }),
    );
    jest.isolateModules(() => {
      // A fresh module registry, so index.ts runs again against the new config.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(() => require('./index')).toThrow(/invalid stack configuration: zones/);
    });
  });
});
