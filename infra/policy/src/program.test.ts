// The pack against the real programs: every object infra/k8s renders and every resource the
// platform stack registers (under Pulumi mocks) must pass every policy.
import { cdnOnlyOnPublicCatalogue } from './policies/cdn';
import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENTS, buildWorkloadObjects, readSloSources } from '@dhakacart/infra-k8s';
import { installMocks, settle, resolveAll } from '../../gcp/test/mocks';
import { asRuntimeConfig, readStackFile } from '../../gcp/test/stack-config';
import { gcpPolicies } from './policies/gcp';
import {
  defaultDenyEveryNamespace,
  kubernetesPolicies,
  pdbForReplicatedDeployments,
} from './policies/kubernetes';
import { kubernetesType, resourceViolations, stackViolations } from './testing';
import path from 'node:path';

const recorded = installMocks('dhakacart-platform', 'prod');
const platformDir = path.resolve(__dirname, '..', '..', 'gcp', 'platform');
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(platformDir, 'prod')));

import { loadPlatformConfig } from '../../gcp/platform/config';
import { createPlatform } from '../../gcp/platform/platform';

describe('the DhakaCart programs pass the policy pack', () => {
  it.each(['staging', 'prod'] as const)(
    'every %s Kubernetes object passes every resource and stack policy',
    async (env) => {
      const objects = buildWorkloadObjects(
        ENVIRONMENTS[env],
        readSloSources(path.resolve(__dirname, '..', '..', '..')),
      );
      const resources = objects.map((o) => ({
        type: kubernetesType(o.apiVersion, o.kind),
        props: o,
        name: String(o.metadata?.name),
      }));
      expect(resources.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')).toHaveLength(2);
      const violations: string[] = [];
      for (const r of resources) {
        for (const policy of [...kubernetesPolicies, cdnOnlyOnPublicCatalogue])
          violations.push(
            ...(await resourceViolations(policy, r.type, r.props)).map((v) => `${r.name}: ${v}`),
          );
      }
      violations.push(...(await stackViolations(pdbForReplicatedDeployments, resources)));
      violations.push(...(await stackViolations(defaultDenyEveryNamespace, resources)));
      expect(violations).toEqual([]);
    },
  );

  it('every resource of the prod platform stack passes every GCP policy', async () => {
    await resolveAll(createPlatform(loadPlatformConfig()));
    await settle(recorded);
    expect(recorded.length).toBeGreaterThan(50);
    const violations: string[] = [];
    for (const r of recorded) {
      for (const policy of gcpPolicies)
        violations.push(
          ...(await resourceViolations(policy, r.type, r.inputs)).map((v) => `${r.name}: ${v}`),
        );
    }
    expect(violations).toEqual([]);
  });

  it('would catch a regression: the same check fails once a data-tier property is weakened', async () => {
    const sql = recorded.find((r) => r.type === 'gcp:sql/databaseInstance:DatabaseInstance')!;
    const weakened = structuredClone(sql.inputs) as {
      settings: { ipConfiguration: { ipv4Enabled: boolean } };
    };
    weakened.settings.ipConfiguration.ipv4Enabled = true;
    const found = await resourceViolations(gcpPolicies[0]!, sql.type, weakened);
    expect(found).toEqual(['settings.ipConfiguration.ipv4Enabled must be false (no public IP).']);
  });
});
