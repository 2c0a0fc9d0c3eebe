// The production canary: a copy of the live api Deployment running the new image. It keeps the
// stable Deployment's selector labels, so the stable Service (and with it the Gateway's backend,
// the PodDisruptionBudget, the ServiceMonitor and the network policies) takes the canary's pods
// in, and the canary's share of the traffic is its share of the ready pods. Its own selector adds
// `dhakacart.io/track: canary`, so neither Deployment ever claims the other's pods
// (docs/adr/0207-rollouts-canary-and-blue-green.md).
import { z } from 'zod';
import {
  dnsLabel,
  imageByDigest,
  InputError,
  MANAGED_BY,
  metadataSchema,
  parseLive,
  type K8sObject,
} from './live';

export const TRACK_LABEL = 'dhakacart.io/track';
export const RELEASE_LABEL = 'dhakacart.io/release';

const containerSchema = z.looseObject({ name: z.string(), image: z.string() });
const deploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata: metadataSchema,
  spec: z.looseObject({
    replicas: z.number().int().nonnegative().optional(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.looseObject({
      metadata: z.looseObject({ labels: z.record(z.string(), z.string()) }),
      spec: z.looseObject({ containers: z.array(containerSchema).min(1) }),
    }),
  }),
});

export interface CanaryOptions {
  /** The new image, by digest. */
  image: string;
  /** The release (git tag), recorded as a label. */
  release: string;
  /** The container to change (default: the one named like the Deployment). */
  container?: string;
  /** The canary's share of the pods, 0 < share < 1 (default 0.1). */
  share?: number;
}

/** Canary pods for a share of the stable Deployment's current pods: at least one. */
export function canaryReplicas(stableReplicas: number, share: number): number {
  if (!(share > 0 && share < 1))
    throw new InputError('BAD_SHARE', `share ${share} is not in (0, 1)`);
  // n canary pods next to s stable ones take n / (n + s) of the traffic.
  return Math.max(1, Math.round((share * stableReplicas) / (1 - share)));
}

export function canaryDeployment(live: unknown, o: CanaryOptions): K8sObject {
  const d = parseLive(deploymentSchema, live, 'the live Deployment');
  const image = imageByDigest(o.image);
  const name = o.container ?? d.metadata.name;
  const containers = d.spec.template.spec.containers;
  if (!containers.some((c) => c.name === name))
    throw new InputError('NO_SUCH_CONTAINER', `the Deployment has no container "${name}"`);
  const track = { [TRACK_LABEL]: 'canary', [RELEASE_LABEL]: dnsLabel(o.release) };
  const { labels: _l, annotations: _a, ...templateMeta } = d.spec.template.metadata;
  void _l;
  void _a;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `${d.metadata.name}-canary`,
      namespace: d.metadata.namespace,
      labels: { ...d.metadata.labels, ...MANAGED_BY, ...track },
    },
    spec: {
      ...d.spec,
      replicas: canaryReplicas(d.spec.replicas ?? 1, o.share ?? 0.1),
      selector: { matchLabels: { ...d.spec.selector.matchLabels, [TRACK_LABEL]: 'canary' } },
      template: {
        ...d.spec.template,
        metadata: {
          ...templateMeta,
          labels: { ...d.spec.template.metadata.labels, ...MANAGED_BY, ...track },
        },
        spec: {
          ...d.spec.template.spec,
          containers: containers.map((c) => (c.name === name ? { ...c, image } : c)),
        },
      },
    },
  };
}
