// Expand migrations before the canary: the live migration Job (the one the workloads stack last
// ran) copied with the new image. Migrations are expand/contract, so the stable version keeps
// working on the expanded schema, and the stack's own migration Job finds nothing left to do
// when the release is promoted.
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

const jobSchema = z.object({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: metadataSchema,
  spec: z.looseObject({
    template: z.looseObject({
      metadata: z.looseObject({ labels: z.record(z.string(), z.string()).optional() }).optional(),
      spec: z.looseObject({
        containers: z.array(z.looseObject({ name: z.string(), image: z.string() })).length(1),
      }),
    }),
  }),
});

/** Labels and fields the Job controller adds, which a new Job must not carry. */
const CONTROLLER_LABELS = [
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
];

export function migrationJob(live: unknown, o: { image: string; release: string }): K8sObject {
  const j = parseLive(jobSchema, live, 'the live migration Job');
  const image = imageByDigest(o.image);
  const { selector: _s, manualSelector: _m, ...spec } = j.spec;
  void _s;
  void _m;
  const labels = Object.fromEntries(
    Object.entries(j.spec.template.metadata?.labels ?? {}).filter(
      ([k]) => !CONTROLLER_LABELS.includes(k),
    ),
  );
  const name = dnsLabel(`api-migrate-${o.release}`);
  if (name === j.metadata.name)
    throw new InputError('SAME_NAME', `the release Job would replace the live Job ${name}`);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: j.metadata.namespace,
      labels: { ...j.metadata.labels, ...MANAGED_BY },
    },
    spec: {
      ...spec,
      ttlSecondsAfterFinished: 86_400,
      template: {
        ...j.spec.template,
        metadata: { ...j.spec.template.metadata, labels: { ...labels, ...MANAGED_BY } },
        spec: {
          ...j.spec.template.spec,
          containers: j.spec.template.spec.containers.map((c) => ({ ...c, image })),
        },
      },
    },
  };
}
