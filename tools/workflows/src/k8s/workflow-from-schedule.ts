// The nightly chaos run on demand: a Chaos Mesh Workflow made from the workflow the workloads
// stack's Schedule (`gameday-nightly`, infra/k8s) carries, so CI runs exactly the catalogue the
// cluster would, without rendering it a second time.
import { z } from 'zod';
import { dnsLabel, MANAGED_BY, metadataSchema, parseLive, type K8sObject } from './live';

const scheduleSchema = z.object({
  apiVersion: z.literal('chaos-mesh.org/v1alpha1'),
  kind: z.literal('Schedule'),
  metadata: metadataSchema,
  spec: z.looseObject({
    type: z.literal('Workflow'),
    workflow: z.looseObject({
      entry: z.string().min(1),
      templates: z.array(z.looseObject({ name: z.string(), templateType: z.string() })).min(1),
    }),
  }),
});

export function workflowFromSchedule(live: unknown, o: { name: string }): K8sObject {
  const s = parseLive(scheduleSchema, live, 'the chaos Schedule');
  return {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: dnsLabel(o.name),
      namespace: s.metadata.namespace,
      labels: { ...s.metadata.labels, ...MANAGED_BY, 'dhakacart.io/schedule': s.metadata.name },
    },
    spec: s.spec.workflow,
  };
}
