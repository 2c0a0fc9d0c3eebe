import { docker, run } from '@dhakacart/lab-client';
import {
  ADMIN_CREDENTIALS,
  ALERTMANAGER_URL,
  CA_CERT,
  LOGS_URL,
  OPS_CREDENTIALS,
  PROMETHEUS_URL,
  PUSHGATEWAY_URL,
  STACK,
  STORE_URL,
} from './paths';

export interface ServiceStatus {
  name: string;
  desired: number;
  running: number;
  healthy: number;
  memoryMiB: number;
  cpuPercent: number;
}

export interface LabStatus {
  storeUrl: string;
  caCert: string;
  adminCredentials: string;
  /** The operators' {username, password} (0600) for the four URLs below (basic auth, lab CA). */
  opsCredentials: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  pushgatewayUrl: string;
  logsUrl: string;
  services: ServiceStatus[];
}

function parseMemMiB(usage: string): number {
  const m = /^([\d.]+)\s*([KMG]i?B)/.exec(usage.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2]!;
  return Math.round(unit.startsWith('G') ? n * 1024 : unit.startsWith('K') ? n / 1024 : n);
}

/** Services with desired/running/healthy replicas, and their containers' memory and CPU now. */
/**
 * `withStats: false` skips `docker stats`, which takes about a second per call: polling loops
 * only need replica counts and health.
 */
export async function labStatus(opts: { withStats?: boolean } = {}): Promise<LabStatus> {
  const services: ServiceStatus[] = [];
  const ls = await run('docker', [
    'service',
    'ls',
    '--filter',
    `label=com.docker.stack.namespace=${STACK}`,
    '--format',
    '{{.Name}}|{{.Replicas}}',
  ]);
  const containers = (
    await run('docker', [
      'ps',
      '--filter',
      `label=com.docker.stack.namespace=${STACK}`,
      '--format',
      '{{.ID}}|{{.Label "com.docker.swarm.service.name"}}|{{.Status}}',
    ])
  ).stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, service, status] = l.split('|');
      return { id: id!, service: service!, status: status! };
    });
  const stats = new Map<string, { mem: number; cpu: number }>();
  if (containers.length && opts.withStats !== false) {
    const s = await run('docker', [
      'stats',
      '--no-stream',
      '--format',
      '{{.ID}}|{{.MemUsage}}|{{.CPUPerc}}',
      ...containers.map((c) => c.id),
    ]);
    for (const l of s.stdout.split('\n').filter(Boolean)) {
      const [id, mem, cpu] = l.split('|');
      stats.set(id!.slice(0, 12), { mem: parseMemMiB(mem!), cpu: Number.parseFloat(cpu!) || 0 });
    }
  }
  for (const line of ls.stdout.split('\n').filter(Boolean)) {
    const [name, replicas] = line.split('|');
    const m = /(\d+)\/(\d+)/.exec(replicas ?? '');
    const mine = containers.filter((c) => c.service === name);
    // A container without a HEALTHCHECK counts as healthy once it is up.
    const healthy = mine.filter(
      (c) =>
        /\(healthy\)/.test(c.status) ||
        (!/\((unhealthy|health: starting)\)/.test(c.status) && /^Up/.test(c.status)),
    );
    const st = mine.map((c) => stats.get(c.id.slice(0, 12)) ?? { mem: 0, cpu: 0 });
    services.push({
      name: name!.replace(`${STACK}_`, ''),
      desired: Number(m?.[2] ?? 0),
      running: Number(m?.[1] ?? 0),
      healthy: healthy.length,
      memoryMiB: st.reduce((a, b) => a + b.mem, 0),
      cpuPercent: Math.round(st.reduce((a, b) => a + b.cpu, 0) * 10) / 10,
    });
  }
  return {
    storeUrl: STORE_URL,
    caCert: CA_CERT,
    adminCredentials: ADMIN_CREDENTIALS,
    opsCredentials: OPS_CREDENTIALS,
    prometheusUrl: PROMETHEUS_URL,
    alertmanagerUrl: ALERTMANAGER_URL,
    pushgatewayUrl: PUSHGATEWAY_URL,
    logsUrl: LOGS_URL,
    services: services.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function formatStatus(s: LabStatus): string {
  const width = Math.max(14, ...s.services.map((x) => x.name.length));
  const rows = s.services.map(
    (x) =>
      `${x.desired === x.healthy ? 'ok ' : '!! '} ${x.name.padEnd(width)} ${`${x.running}/${x.desired}`.padStart(5)} running  ${String(x.healthy).padStart(2)} healthy  ${String(x.memoryMiB).padStart(5)} MiB  ${String(x.cpuPercent).padStart(5)} % CPU`,
  );
  const mem = s.services.reduce((a, b) => a + b.memoryMiB, 0);
  return [
    `store:        ${s.storeUrl}   (trust ${s.caCert})`,
    `admin login:  ${s.adminCredentials}   (0600; email and password)`,
    `operators:    ${s.opsCredentials}   (0600; username and password for the four below, on this machine only)`,
    `prometheus:   ${s.prometheusUrl}`,
    `alertmanager: ${s.alertmanagerUrl}`,
    `pushgateway:  ${s.pushgatewayUrl}`,
    `logs:         ${s.logsUrl}/select/vmui/`,
    '',
    ...rows,
    `    total memory ${mem} MiB`,
  ].join('\n');
}

export async function swarmActive(): Promise<boolean> {
  const r = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']);
  return r.stdout.trim() === 'active';
}

export async function ensureSwarm(): Promise<boolean> {
  if (await swarmActive()) return false;
  await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  return true;
}
