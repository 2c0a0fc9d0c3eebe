import type { INamespace } from 'kubernetes-models/v1/Namespace';

/** Namespaces for our own objects enforce the `restricted` Pod Security Standard. */
export function restrictedNamespace(
  name: string,
  extraLabels: Record<string, string> = {},
): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        ...extraLabels,
      },
    },
  };
}
