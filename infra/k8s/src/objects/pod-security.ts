// The Pod Security Standards' `restricted` profile (kubernetes.io/docs/concepts/security/
// pod-security-standards), as the admission controller checks a pod: used to prove a pod would
// be admitted into a `restricted` namespace before a `pulumi up` finds out (with `atomic: true`,
// a rejected chart is rolled back).
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IContainer } from 'kubernetes-models/v1/Container';

const ALLOWED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** One message per rule a pod breaks; empty when `restricted` admits it. */
export function restrictedViolations(pod: IPodSpec): string[] {
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push('host namespaces are forbidden');
  for (const v of pod.volumes ?? []) {
    const kind = Object.keys(v).find((k) => k !== 'name');
    if (kind && !ALLOWED_VOLUMES.has(kind)) out.push(`volume "${v.name}" of type ${kind}`);
  }
  if (psc.runAsUser === 0) out.push('pod runAsUser 0');
  const containers: IContainer[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const name = `container "${c.name}"`;
    if (sc.privileged) out.push(`${name} is privileged`);
    if (sc.allowPrivilegeEscalation !== false)
      out.push(`${name} must set allowPrivilegeEscalation: false`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true)
      out.push(`${name} must set runAsNonRoot: true (container or pod)`);
    if (sc.runAsUser === 0) out.push(`${name} runs as uid 0`);
    const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(`${name} must set seccompProfile RuntimeDefault or Localhost (container or pod)`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL'))
      out.push(`${name} must drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== 'NET_BIND_SERVICE') out.push(`${name} adds capability ${cap}`);
    if ((c.ports ?? []).some((p) => p.hostPort)) out.push(`${name} uses a hostPort`);
  }
  return out;
}
