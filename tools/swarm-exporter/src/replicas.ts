import type { ApiService, ApiTask } from './docker-api';

export interface ServiceReplicas {
  service: string;
  mode: 'replicated' | 'global';
  desired: number;
  running: number;
}

/**
 * Per service: how many tasks Swarm should run and how many are in state `running`. A
 * replicated service's desire is its replica count; a global one's is the number of tasks Swarm
 * scheduled for it (one per eligible node), since the spec carries no number.
 */
export function serviceReplicas(services: ApiService[], tasks: ApiTask[]): ServiceReplicas[] {
  const scheduled = new Map<string, number>();
  const running = new Map<string, number>();
  for (const t of tasks) {
    if (t.DesiredState !== 'running') continue;
    scheduled.set(t.ServiceID, (scheduled.get(t.ServiceID) ?? 0) + 1);
    if (t.Status.State === 'running') running.set(t.ServiceID, (running.get(t.ServiceID) ?? 0) + 1);
  }
  return services
    .map((s): ServiceReplicas => {
      const global = s.Spec.Mode?.Global !== undefined;
      return {
        service: s.Spec.Name,
        mode: global ? 'global' : 'replicated',
        desired: global ? (scheduled.get(s.ID) ?? 0) : (s.Spec.Mode?.Replicated?.Replicas ?? 1),
        running: running.get(s.ID) ?? 0,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}
