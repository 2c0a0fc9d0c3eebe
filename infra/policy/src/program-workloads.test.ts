// The pack against the workloads program as `pulumi preview` would run it (under mocks): the
// Helm releases, and every object its ConfigGroups apply (the engine registers each as its own
// resource). Every namespace it creates or installs into, today's and any added later by the
// load, chaos, logging or backup work, must have a default deny.
import { cdnOnlyOnPublicCatalogue } from './policies/cdn';
import * as pulumi from '@pulumi/pulumi';
import path from 'node:path';
import { installMocks, settle, promiseOf, type Recorded } from '../../gcp/test/mocks';
import { asRuntimeConfig, readStackFile } from '../../gcp/test/stack-config';
import { PLATFORM_OUTPUTS } from '../../gcp/test/platform-outputs';
import {
  defaultDenyEveryNamespace,
  kubernetesPolicies,
  namespacesUsed,
  pdbForReplicatedDeployments,
} from './policies/kubernetes';
import { kubernetesType, resourceViolations, stackViolations } from './testing';
import type { Props } from './policies/types';

const recorded: Recorded[] = installMocks('dhakacart-workloads', 'prod', PLATFORM_OUTPUTS);
const workloadsDir = path.resolve(__dirname, '..', '..', 'gcp', 'workloads');
pulumi.runtime.setAllConfig(asRuntimeConfig(readStackFile(workloadsDir, 'prod')));

import { loadWorkloadsConfig } from '../../gcp/workloads/config';
import { createWorkloads } from '../../gcp/workloads/workloads';

type Resource = { type: string; props: Props; name: string };
let resources: Resource[];

beforeAll(async () => {
  const w = createWorkloads(loadWorkloadsConfig());
  await promiseOf(w.objects);
  await settle(recorded);
  const expanded = recorded.flatMap((r): Resource[] =>
    r.type === 'kubernetes:yaml/v2:ConfigGroup'
      ? (r.inputs.objs as Props[]).map((o) => ({
          type: kubernetesType(o.apiVersion, o.kind),
          props: o,
          name: `${r.name}/${o.kind}/${o.metadata?.name}`,
        }))
      : [{ type: r.type, props: r.inputs, name: r.name }],
  );
  resources = expanded;
});

describe('the workloads program passes the policy pack', () => {
  it('finds every namespace the program creates or installs a chart into', () => {
    const used = [...namespacesUsed(resources).keys()].sort();
    expect(used).toEqual(
      [
        'chaos-experiments',
        'chaos-mesh',
        'dhakacart',
        'external-secrets',
        'k6-operator',
        'loadtest',
        'logging',
        'monitoring',
        'velero',
      ].sort(),
    );
    const releases = resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    expect(releases).toHaveLength(7);
  });

  it('has a default deny in every one of them', async () => {
    expect(await stackViolations(defaultDenyEveryNamespace, resources)).toEqual([]);
  });

  it('a chart installed into a new namespace later is caught', async () => {
    const logging: Resource = {
      type: 'kubernetes:helm.sh/v3:Release',
      name: 'addons-tracing',
      props: { chart: 'tempo', namespace: 'tracing', createNamespace: true },
    };
    expect(await stackViolations(defaultDenyEveryNamespace, [...resources, logging])).toEqual([
      'namespace "tracing" (used by addons-tracing) has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules).',
    ]);
  });

  it("dropping one namespace's default deny is caught", async () => {
    const without = resources.filter(
      (r) =>
        !(
          r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' &&
          r.props.metadata?.namespace === 'velero' &&
          r.props.metadata?.name === 'default-deny-all'
        ),
    );
    expect(await stackViolations(defaultDenyEveryNamespace, without)).toEqual([
      expect.stringContaining('namespace "velero"'),
    ]);
  });

  it('every object passes every Kubernetes resource and stack policy', async () => {
    const violations: string[] = [];
    for (const r of resources)
      for (const policy of [...kubernetesPolicies, cdnOnlyOnPublicCatalogue])
        violations.push(
          ...(await resourceViolations(policy, r.type, r.props)).map((v) => `${r.name}: ${v}`),
        );
    violations.push(...(await stackViolations(pdbForReplicatedDeployments, resources)));
    expect(violations).toEqual([]);
  });
});
