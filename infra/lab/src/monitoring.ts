import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CA_CERT, LAB_ROOT, REPO_ROOT } from './paths';

/** The images stack.monitoring.yml runs (tools/images/src/manifest.ts). */
export const MONITORING_IMAGES = [
  'prometheus',
  'alertmanager',
  'alert-sink',
  'node-exporter',
  'postgres-exporter',
  'redis-exporter',
  'blackbox-exporter',
  'swarm-exporter',
  'pushgateway',
] as const;

/** Files that become Swarm configs, by the variable that names them in stack.monitoring.yml. */
export const MONITORING_CONFIG_FILES: Record<string, string> = {
  PROMETHEUS_CFG_HASH: join(LAB_ROOT, 'monitoring', 'prometheus.yml'),
  BLACKBOX_CFG_HASH: join(LAB_ROOT, 'monitoring', 'blackbox.yml'),
  POSTGRES_QUERIES_HASH: join(LAB_ROOT, 'monitoring', 'postgres-queries.yaml'),
  SLO_RULES_HASH: join(REPO_ROOT, 'slo', 'generated', 'slo-rules.yaml'),
  INFRA_ALERTS_HASH: join(REPO_ROOT, 'slo', 'rules', 'infra-alerts.yaml'),
  RELEASE_RULES_HASH: join(REPO_ROOT, 'slo', 'rules', 'release.yaml'),
  ALERTMANAGER_CFG_HASH: join(REPO_ROOT, 'slo', 'alertmanager', 'generated', 'alertmanager.yml'),
  LAB_CA_HASH: CA_CERT,
};

const fileHash = (file: string) =>
  createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);

const envName = (image: string) => `${image.toUpperCase().replace(/-/g, '_')}_IMAGE`;

/**
 * What stack.monitoring.yml interpolates: image references and content-named configs. A Swarm
 * config cannot change in place, so a changed file gets a new name and the service is updated.
 */
export function monitoringStackEnv(refs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const image of MONITORING_IMAGES) {
    const ref = refs[image];
    if (!ref) throw new Error(`no image reference for ${image}`);
    env[envName(image)] = ref;
  }
  for (const [name, file] of Object.entries(MONITORING_CONFIG_FILES)) env[name] = fileHash(file);
  // swarm-exporter runs as this group to read the socket (stack deploy has no group_add).
  env.DOCKER_SOCKET_GID = String(statSync('/var/run/docker.sock').gid);
  return env;
}
