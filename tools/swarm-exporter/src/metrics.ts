import { Gauge, Registry } from 'prom-client';
import type { DockerApi } from './docker-api';
import { serviceReplicas } from './replicas';

/**
 * The exporter's registry. `swarm_service_replicas_running` and `..._desired` carry the same
 * single label, `service`, so the SwarmServiceReplicasMissing rule
 * (slo/rules/infra-alerts.yaml: running < desired) matches them one to one.
 */
export function swarmMetrics(api: DockerApi) {
  const registry = new Registry();
  const desired = new Gauge({
    name: 'swarm_service_replicas_desired',
    help: 'Tasks the Swarm service should run (replicas; for a global service, tasks scheduled)',
    labelNames: ['service'],
    registers: [registry],
  });
  const running = new Gauge({
    name: 'swarm_service_replicas_running',
    help: 'Tasks of the Swarm service in state running',
    labelNames: ['service'],
    registers: [registry],
  });
  const up = new Gauge({
    name: 'swarm_exporter_api_up',
    help: '1 if the last read of the Docker Engine API succeeded, else 0',
    registers: [registry],
  });

  /** Reads the Engine API afresh and renders the exposition text. */
  async function render(): Promise<string> {
    // Cleared first: a removed service must vanish, and a failed read must not serve old
    // numbers that would hide a missing replica.
    desired.reset();
    running.reset();
    try {
      const [services, tasks] = await Promise.all([api.services(), api.tasks()]);
      for (const r of serviceReplicas(services, tasks)) {
        desired.set({ service: r.service }, r.desired);
        running.set({ service: r.service }, r.running);
      }
      up.set(1);
    } catch (e) {
      up.set(0);
      console.error(JSON.stringify({ msg: 'docker api read failed', error: (e as Error).message }));
    }
    return registry.metrics();
  }

  return { registry, render, contentType: registry.contentType };
}
