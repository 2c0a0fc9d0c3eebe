// A standing Chaos Mesh game day for staging: kill one API pod every hour. The SLO burn-rate
// alerts must stay quiet through it; if they fire, the rollout/PDB/readiness story regressed.
import type { WorkloadSettings } from '../settings';
import { selectorLabels } from './labels';

export interface ChaosSchedule {
  apiVersion: 'chaos-mesh.org/v1alpha1';
  kind: 'Schedule';
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & { schedule: string; type: string };
}

export function chaosSchedules(s: WorkloadSettings): ChaosSchedule[] {
  if (!s.chaos.enabled) return [];
  return [
    {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'api-pod-kill-hourly', namespace: s.chaosNamespace },
      spec: {
        schedule: '15 * * * *',
        type: 'PodChaos',
        historyLimit: 24,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        podChaos: {
          action: 'pod-kill',
          mode: 'one',
          gracePeriod: 0,
          selector: { namespaces: [s.namespace], labelSelectors: selectorLabels('api') },
        },
      },
    },
  ];
}
