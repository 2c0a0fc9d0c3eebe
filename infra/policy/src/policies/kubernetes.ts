// Kubernetes guardrails for every workload object, whoever renders it: probes and limits,
// non-root containers, pinned images, and PDBs for anything running more than one replica.
import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { TYPES, type Props } from './types';

interface PodSpecLike {
  containers?: Props[];
  initContainers?: Props[];
  securityContext?: Props;
  topologySpreadConstraints?: Props[];
}

/** The pod spec inside a workload object, or undefined for other kinds. */
export function podSpecOf(type: string, props: Props): PodSpecLike | undefined {
  switch (type) {
    case TYPES.deployment:
    case TYPES.statefulSet:
    case TYPES.daemonSet:
    case TYPES.job:
      return props.spec?.template?.spec;
    case TYPES.cronJob:
      return props.spec?.jobTemplate?.spec?.template?.spec;
    case TYPES.pod:
      return props.spec;
    default:
      return undefined;
  }
}

const LONG_RUNNING = new Set<string>([TYPES.deployment, TYPES.statefulSet, TYPES.daemonSet]);

export const probesAndLimits: ResourceValidationPolicy = {
  name: 'k8s-probes-and-limits',
  description:
    'Every container has CPU/memory requests and limits; long-running ones also have readiness and liveness probes.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (!pod) return;
    for (const c of pod.containers ?? []) {
      for (const kind of ['requests', 'limits'] as const) {
        for (const r of ['cpu', 'memory']) {
          if (!c.resources?.[kind]?.[r])
            reportViolation(
              `container "${c.name}" has no ${r} ${kind === 'limits' ? 'limit' : 'request'}.`,
            );
        }
      }
      if (LONG_RUNNING.has(args.type)) {
        if (!c.readinessProbe) reportViolation(`container "${c.name}" has no readinessProbe.`);
        if (!c.livenessProbe) reportViolation(`container "${c.name}" has no livenessProbe.`);
      }
    }
  },
};

export const nonRoot: ResourceValidationPolicy = {
  name: 'k8s-non-root',
  description: 'Containers run as non-root, unprivileged, without privilege escalation.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (!pod) return;
    const podNonRoot = pod.securityContext?.runAsNonRoot === true;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      const nonRootSet = sc.runAsNonRoot ?? podNonRoot;
      if (nonRootSet !== true)
        reportViolation(
          `container "${c.name}" must set runAsNonRoot: true (container or pod level).`,
        );
      if (sc.runAsUser === 0 || pod.securityContext?.runAsUser === 0)
        reportViolation(`container "${c.name}" must not run as uid 0.`);
      if (sc.privileged === true) reportViolation(`container "${c.name}" must not be privileged.`);
      if (sc.allowPrivilegeEscalation !== false)
        reportViolation(`container "${c.name}" must set allowPrivilegeEscalation: false.`);
    }
  },
};

/** True when an image reference is pinned: by digest, or by a tag other than `latest`. */
export function isPinnedImage(image: unknown): boolean {
  if (typeof image !== 'string' || image.length === 0) return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest';
}

export const noLatestImages: ResourceValidationPolicy = {
  name: 'k8s-no-latest-images',
  description:
    'Images are pinned by digest or an immutable tag; `:latest` and untagged images are refused.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (!pod) return;
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      if (!isPinnedImage(c.image))
        reportViolation(
          `container "${c.name}" image "${String(c.image)}" is not pinned (no tag, or :latest).`,
        );
    }
  },
};

function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export const pdbForReplicatedDeployments: StackValidationPolicy = {
  name: 'k8s-pdb-for-replicated-deployments',
  description:
    'Every Deployment that runs more than one replica (directly or through an HPA minimum) is covered by a PodDisruptionBudget.',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const of = (type: string) => args.resources.filter((r) => r.type === type);
    const hpas = of(TYPES.hpa);
    const pdbs = of(TYPES.pdb);
    for (const d of of(TYPES.deployment)) {
      const ns = d.props.metadata?.namespace ?? 'default';
      const name = d.props.metadata?.name;
      const hpa = hpas.find(
        (h) =>
          (h.props.metadata?.namespace ?? 'default') === ns &&
          h.props.spec?.scaleTargetRef?.kind === 'Deployment' &&
          h.props.spec?.scaleTargetRef?.name === name,
      );
      const replicas = Math.max(
        Number(d.props.spec?.replicas ?? 1),
        Number(hpa?.props.spec?.minReplicas ?? 0),
      );
      if (replicas <= 1) continue;
      const podLabels = d.props.spec?.template?.metadata?.labels;
      const covered = pdbs.some(
        (p) =>
          (p.props.metadata?.namespace ?? 'default') === ns &&
          matches(p.props.spec?.selector?.matchLabels, podLabels),
      );
      if (!covered)
        reportViolation(
          `Deployment ${ns}/${name} runs ${replicas} replicas but no PodDisruptionBudget selects its pods.`,
          d.urn,
        );
    }
  },
};

const ZONE_KEY = 'topology.kubernetes.io/zone';

export const zoneSpreadSurvivesZoneLoss: ResourceValidationPolicy = {
  name: 'k8s-zone-spread-survives-zone-loss',
  description:
    "A hard zone spread (DoNotSchedule) honours node taints, so a lost zone's NotReady nodes stop counting and the other zones can scale up.",
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const pod = podSpecOf(args.type, args.props);
    if (!pod) return;
    for (const c of pod.topologySpreadConstraints ?? []) {
      if (c.topologyKey !== ZONE_KEY || c.whenUnsatisfiable !== 'DoNotSchedule') continue;
      if (c.nodeTaintsPolicy !== 'Honor')
        reportViolation(
          `the DoNotSchedule spread over ${ZONE_KEY} must set nodeTaintsPolicy: Honor (got ${String(c.nodeTaintsPolicy ?? 'Ignore')}): otherwise a lost zone blocks scale-up.`,
        );
    }
  },
};

/** True for a NetworkPolicy that selects every pod and allows nothing, both ways. */
export function isDefaultDeny(props: Props): boolean {
  const spec = props.spec ?? {};
  const sel = spec.podSelector ?? {};
  const selectsAll =
    Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
  const types: string[] = spec.policyTypes ?? [];
  return (
    selectsAll &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    (spec.ingress ?? []).length === 0 &&
    (spec.egress ?? []).length === 0
  );
}

/**
 * Every namespace the stack creates or installs into: Namespace objects, Helm releases'
 * namespaces and any namespaced object's namespace. The engine sees a ConfigGroup's objects
 * as resources of their own, so they count too.
 */
export function namespacesUsed(
  resources: { type: string; props: Props; name: string }[],
): Map<string, string> {
  const used = new Map<string, string>();
  const add = (ns: unknown, by: string) => {
    if (typeof ns === 'string' && ns && !used.has(ns)) used.set(ns, by);
  };
  for (const r of resources) {
    if (!r.type.startsWith('kubernetes:')) continue;
    if (r.type === TYPES.namespace) add(r.props.metadata?.name, r.name);
    if (r.type === TYPES.helmRelease) add(r.props.namespace ?? 'default', r.name);
    add(r.props.metadata?.namespace, r.name);
  }
  return used;
}

export const defaultDenyEveryNamespace: StackValidationPolicy = {
  name: 'k8s-default-deny-every-namespace',
  description:
    'Every namespace the programs or their charts create has a default-deny NetworkPolicy (all pods, Ingress and Egress, no rules).',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const denied = new Set(
      args.resources
        .filter((r) => r.type === TYPES.networkPolicy && isDefaultDeny(r.props))
        .map((r) => r.props.metadata?.namespace ?? 'default'),
    );
    for (const [ns, by] of namespacesUsed(args.resources)) {
      if (!denied.has(ns))
        reportViolation(
          `namespace "${ns}" (used by ${by}) has no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules).`,
        );
    }
  },
};

export const kubernetesPolicies = [
  probesAndLimits,
  nonRoot,
  noLatestImages,
  zoneSpreadSurvivesZoneLoss,
];
export const kubernetesStackPolicies = [pdbForReplicatedDeployments, defaultDenyEveryNamespace];
