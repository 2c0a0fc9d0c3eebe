import type { INamespace } from 'kubernetes-models/v1/Namespace';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** A namespace enforcing a Pod Security Standard level and warning on anything below restricted. */
export function podSecurityNamespace(name: string, enforce: PodSecurityLevel): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': enforce,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
}
