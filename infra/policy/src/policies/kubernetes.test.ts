import { resourceViolations, stackViolations } from '../testing';
import * as f from '../fixtures';
import {
  defaultDenyEveryNamespace,
  isPinnedImage,
  noLatestImages,
  nonRoot,
  pdbForReplicatedDeployments,
  probesAndLimits,
  zoneSpreadSurvivesZoneLoss,
} from './kubernetes';
import { TYPES, type Props } from './types';
import type { ResourceValidationPolicy } from '@pulumi/policy';

type Case = [string, (p: Props) => void, RegExp];
const container = (p: Props) => p.spec.template.spec.containers[0];

function suite(policy: ResourceValidationPolicy, cases: Case[]) {
  describe(policy.name, () => {
    it('passes the valid Deployment and Job fixtures', async () => {
      expect(await resourceViolations(policy, TYPES.deployment, f.validDeployment())).toEqual([]);
      expect(await resourceViolations(policy, TYPES.job, f.validJob())).toEqual([]);
    });
    it.each(cases)('reports %s', async (_label, breakIt, message) => {
      const props = f.validDeployment();
      breakIt(props);
      const found = await resourceViolations(policy, TYPES.deployment, props);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });
  });
}

suite(probesAndLimits, [
  ['no readiness probe', (p) => delete container(p).readinessProbe, /readinessProbe/],
  ['no liveness probe', (p) => delete container(p).livenessProbe, /livenessProbe/],
  ['no CPU limit', (p) => delete container(p).resources.limits.cpu, /cpu limit/],
  ['no memory limit', (p) => delete container(p).resources.limits.memory, /memory limit/],
  ['no memory request', (p) => delete container(p).resources.requests.memory, /memory request/],
]);

suite(nonRoot, [
  [
    'runAsNonRoot unset everywhere',
    (p) => delete p.spec.template.spec.securityContext.runAsNonRoot,
    /runAsNonRoot/,
  ],
  [
    'a container overriding runAsNonRoot to false',
    (p) => (container(p).securityContext.runAsNonRoot = false),
    /runAsNonRoot/,
  ],
  ['uid 0', (p) => (container(p).securityContext.runAsUser = 0), /uid 0/],
  ['a privileged container', (p) => (container(p).securityContext.privileged = true), /privileged/],
  [
    'privilege escalation allowed',
    (p) => delete container(p).securityContext.allowPrivilegeEscalation,
    /allowPrivilegeEscalation/,
  ],
]);

suite(noLatestImages, [
  [
    'a :latest image',
    (p) => (container(p).image = 'asia-south1-docker.pkg.dev/p/dhakacart/api:latest'),
    /not pinned/,
  ],
  ['an untagged image', (p) => (container(p).image = 'nginx'), /not pinned/],
  [
    'a :latest init container',
    (p) =>
      (p.spec.template.spec.initContainers = [
        {
          name: 'init',
          image: 'busybox:latest',
          securityContext: { allowPrivilegeEscalation: false },
        },
      ]),
    /"init"/,
  ],
]);

describe('probes are only required of long-running workloads', () => {
  it('does not ask a Job for probes but still for limits', async () => {
    const job = f.validJob();
    expect(await resourceViolations(probesAndLimits, TYPES.job, job)).toEqual([]);
    delete job.spec.template.spec.containers[0].resources.limits;
    expect(await resourceViolations(probesAndLimits, TYPES.job, job)).toEqual([
      'container "migrate" has no cpu limit.',
      'container "migrate" has no memory limit.',
    ]);
  });
});

describe('isPinnedImage', () => {
  it.each([
    ['registry:5000/a/b:1.2.3', true],
    ['a/b@sha256:' + 'f'.repeat(64), true],
    ['registry:5000/a/b', false],
    ['a/b:latest', false],
    ['', false],
  ])('%s -> %s', (image, pinned) => expect(isPinnedImage(image)).toBe(pinned));
});

describe(pdbForReplicatedDeployments.name, () => {
  const res = (type: string, props: Props, name: string) => ({ type, props, name });
  const valid = () => [
    res(TYPES.deployment, f.validDeployment(), 'api'),
    res(TYPES.pdb, f.validPdb(), 'api-pdb'),
  ];

  it('passes a 3-replica Deployment with a PDB selecting its pods', async () => {
    expect(await stackViolations(pdbForReplicatedDeployments, valid())).toEqual([]);
  });

  it('reports a replicated Deployment without a PDB', async () => {
    const found = await stackViolations(pdbForReplicatedDeployments, [
      res(TYPES.deployment, f.validDeployment(), 'api'),
    ]);
    expect(found).toEqual([
      'Deployment dhakacart/api runs 3 replicas but no PodDisruptionBudget selects its pods.',
    ]);
  });

  it('reports a PDB whose selector does not match the pods', async () => {
    const r = valid();
    r[1]!.props.spec.selector.matchLabels = { app: 'web' };
    expect(await stackViolations(pdbForReplicatedDeployments, r)).toHaveLength(1);
  });

  it('reports a PDB in another namespace', async () => {
    const r = valid();
    r[1]!.props.metadata.namespace = 'other';
    expect(await stackViolations(pdbForReplicatedDeployments, r)).toHaveLength(1);
  });

  it('counts the HPA minimum when the Deployment says 1 replica', async () => {
    const d = f.validDeployment();
    d.spec.replicas = 1;
    expect(
      await stackViolations(pdbForReplicatedDeployments, [res(TYPES.deployment, d, 'api')]),
    ).toEqual([]);
    const found = await stackViolations(pdbForReplicatedDeployments, [
      res(TYPES.deployment, d, 'api'),
      res(TYPES.hpa, f.validHpa(), 'api-hpa'),
    ]);
    expect(found).toHaveLength(1);
  });
});

const zone = (p: Props) => p.spec.template.spec.topologySpreadConstraints[0];

suite(zoneSpreadSurvivesZoneLoss, [
  [
    'a hard zone spread without nodeTaintsPolicy (the default, Ignore)',
    (p) => delete zone(p).nodeTaintsPolicy,
    /nodeTaintsPolicy: Honor \(got Ignore\)/,
  ],
  [
    'a hard zone spread ignoring taints explicitly',
    (p) => (zone(p).nodeTaintsPolicy = 'Ignore'),
    /lost zone blocks scale-up/,
  ],
]);

describe('k8s-zone-spread-survives-zone-loss leaves soft and node spreads alone', () => {
  it.each([
    ['ScheduleAnyway over zones', { whenUnsatisfiable: 'ScheduleAnyway' }],
    ['DoNotSchedule over nodes', { topologyKey: 'kubernetes.io/hostname' }],
  ])('%s', async (_label, change) => {
    const d = f.validDeployment();
    Object.assign(zone(d), change);
    delete zone(d).nodeTaintsPolicy;
    expect(await resourceViolations(zoneSpreadSurvivesZoneLoss, TYPES.deployment, d)).toEqual([]);
  });
});

describe(defaultDenyEveryNamespace.name, () => {
  const res = (type: string, props: Props, name: string) => ({ type, props, name });
  const valid = () => [
    res(TYPES.namespace, f.validNamespace('dhakacart'), 'ns-dhakacart'),
    res(TYPES.networkPolicy, f.validDefaultDeny('dhakacart'), 'dhakacart-deny'),
    res(TYPES.deployment, f.validDeployment(), 'api'),
    res(TYPES.namespace, f.validNamespace('monitoring'), 'ns-monitoring'),
    res(TYPES.networkPolicy, f.validDefaultDeny('monitoring'), 'monitoring-deny'),
    res(TYPES.helmRelease, f.validRelease('monitoring'), 'kube-prometheus-stack'),
  ];
  const violations = (r: ReturnType<typeof valid>) => stackViolations(defaultDenyEveryNamespace, r);

  it('passes namespaces that each have a default deny', async () => {
    expect(await violations(valid())).toEqual([]);
  });

  it('reports a created namespace without one', async () => {
    const r = valid().filter((x) => x.name !== 'monitoring-deny');
    expect(await violations(r)).toEqual([
      'namespace "monitoring" (used by ns-monitoring) has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules).',
    ]);
  });

  it("reports a chart's namespace that no Namespace object created", async () => {
    const r = [...valid(), res(TYPES.helmRelease, f.validRelease('logging'), 'loki')];
    expect(await violations(r)).toEqual([expect.stringContaining('"logging" (used by loki)')]);
  });

  it('reports a namespace only an object puts something in', async () => {
    const d = f.validDeployment();
    d.metadata.namespace = 'backup';
    expect(await violations([...valid(), res(TYPES.deployment, d, 'restore')])).toEqual([
      expect.stringContaining('"backup" (used by restore)'),
    ]);
  });

  it.each([
    ['selects only some pods', (p: Props) => (p.spec.podSelector = { matchLabels: { app: 'x' } })],
    ['denies only ingress', (p: Props) => (p.spec.policyTypes = ['Ingress'])],
    ['allows something', (p: Props) => (p.spec.ingress = [{ from: [{ podSelector: {} }] }])],
  ])('does not count a policy that %s as a default deny', async (_label, breakIt) => {
    const r = valid();
    breakIt(r[4]!.props);
    expect(await violations(r)).toEqual([expect.stringContaining('"monitoring"')]);
  });
});
