// Disaster recovery: the platform comes up in a second region from Pulumi.dr.yaml and the code
// alone. Nothing of the lost region is referenced, the KMS key is that region's own, and images
// come from production's multi-region repository (docs/gcp/disaster-recovery.md).
import * as pulumi from '@pulumi/pulumi';
import { installMocks, ofType, resolveAll, settle, type Recorded } from '../test/mocks';
import { asRuntimeConfig, readStackFile } from '../test/stack-config';

const recorded: Recorded[] = installMocks('dhakacart-platform', 'dr');
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(__dirname, 'dr')));

import { loadPlatformConfig } from './config';
import { createPlatform } from './platform';

type Inputs = Record<string, any>;
const cfg = loadPlatformConfig();
const primary = readStackFile(__dirname, 'prod');
const PRIMARY_REGION = primary['gcp:region'] as string;
const PRIMARY_PROJECT = primary['gcp:project'] as string;
let resolved: Inputs;

beforeAll(async () => {
  resolved = (await resolveAll(createPlatform(cfg))) as Inputs;
  await settle(recorded);
});

const inputsOf = (type: string) => ofType(recorded, type).map((r) => r.inputs as Inputs);

describe('the disaster-recovery stack (second region)', () => {
  it('is another region and project than production', () => {
    expect(cfg.region).not.toBe(PRIMARY_REGION);
    expect(cfg.project).not.toBe(PRIMARY_PROJECT);
    expect(cfg.zones.every((z) => z.startsWith(`${cfg.region}-`))).toBe(true);
  });

  it('never names the lost region in any resource', () => {
    expect(recorded.length).toBeGreaterThan(50);
    const mentions = recorded.filter((r) => JSON.stringify(r.inputs).includes(PRIMARY_REGION));
    expect(mentions.map((r) => r.name)).toEqual([]);
  });

  it('puts every regional resource in its own region', () => {
    const regional: [string, (i: Inputs) => unknown][] = [
      ['gcp:compute/subnetwork:Subnetwork', (i) => i.region],
      ['gcp:compute/router:Router', (i) => i.region],
      ['gcp:compute/routerNat:RouterNat', (i) => i.region],
      ['gcp:container/cluster:Cluster', (i) => i.location],
      ['gcp:container/nodePool:NodePool', (i) => i.location],
      ['gcp:sql/databaseInstance:DatabaseInstance', (i) => i.region],
      ['gcp:redis/instance:Instance', (i) => i.region],
      ['gcp:kms/keyRing:KeyRing', (i) => i.location],
    ];
    for (const [type, where] of regional) {
      const found = inputsOf(type);
      expect(found.length).toBeGreaterThan(0);
      for (const i of found) expect(where(i)).toBe(cfg.region);
    }
  });

  it("encrypts the cluster's Secrets with that region's own KMS key", () => {
    const [cluster] = inputsOf('gcp:container/cluster:Cluster');
    expect(cluster!.databaseEncryption.keyName).toMatch(
      new RegExp(`^projects/${cfg.project}/locations/${cfg.region}/keyRings/`),
    );
  });

  it("pulls images from production's multi-region repository and creates no repository", () => {
    expect(inputsOf('gcp:artifactregistry/repository:Repository')).toEqual([]);
    const pulls = inputsOf('gcp:artifactregistry/repositoryIamMember:RepositoryIamMember');
    expect(pulls).toEqual([
      expect.objectContaining({
        project: PRIMARY_PROJECT,
        location: 'asia',
        repository: 'dhakacart',
        role: 'roles/artifactregistry.reader',
      }),
    ]);
    expect(resolved.registryUrl).toBe(`asia-docker.pkg.dev/${PRIMARY_PROJECT}/dhakacart`);
  });

  it("keeps the recovered database's backups outside both regions", () => {
    const [sql] = inputsOf('gcp:sql/databaseInstance:DatabaseInstance');
    expect([cfg.region, PRIMARY_REGION]).not.toContain(sql!.settings.backupConfiguration.location);
  });

  it('runs images the workloads DR stack names from that same repository', () => {
    const workloads = readStackFile(`${__dirname}/../workloads`, 'dr');
    const images = workloads['dhakacart-workloads:images'] as Record<string, string>;
    for (const image of Object.values(images))
      expect(image.startsWith(`${resolved.registryUrl as string}/`)).toBe(true);
    expect(workloads['dhakacart-workloads:platformStack']).toMatch(/\/dhakacart-platform\/dr$/);
  });
});
