import { workflowFromSchedule } from './workflow-from-schedule';
import { findings } from './testing';

const schedule = () => ({
  apiVersion: 'chaos-mesh.org/v1alpha1',
  kind: 'Schedule',
  metadata: { name: 'gameday-nightly', namespace: 'chaos-experiments', labels: { a: 'b' } },
  spec: {
    schedule: '0 21 * * *',
    type: 'Workflow',
    historyLimit: 7,
    concurrencyPolicy: 'Forbid',
    workflow: {
      entry: 'nightly',
      templates: [
        { name: 'nightly', templateType: 'Serial', children: ['api-kill', 'api-kill-recover'] },
        {
          name: 'api-kill',
          templateType: 'PodChaos',
          deadline: '30s',
          podChaos: {
            action: 'pod-kill',
            mode: 'one',
            selector: {
              namespaces: ['dhakacart'],
              labelSelectors: { 'app.kubernetes.io/name': 'api' },
            },
          },
        },
        { name: 'api-kill-recover', templateType: 'Suspend', deadline: '3m' },
      ],
    },
  },
});

describe("the chaos Workflow from the stack's Schedule", () => {
  it('is a valid Workflow carrying exactly the scheduled templates', async () => {
    const w = workflowFromSchedule(schedule(), { name: 'nightly-77' });
    expect(findings(w)).toEqual([]);
    expect(w.metadata).toMatchObject({ name: 'nightly-77', namespace: 'chaos-experiments' });
    expect(w.spec).toEqual(schedule().spec.workflow);
  });

  it('refuses a Schedule of a single chaos kind', () => {
    const s = { ...schedule(), spec: { ...schedule().spec, type: 'PodChaos' } };
    expect(() => workflowFromSchedule(s, { name: 'x' })).toThrow(/the chaos Schedule: spec.type/);
  });
});
