import { docker, run, sleep } from './sh';
import { STACK } from './endpoints';

export const svc = (name: string) => `${STACK}_${name}`;

export async function serviceImage(name: string): Promise<string> {
  return (
    await docker([
      'service',
      'inspect',
      svc(name),
      '--format',
      '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
    ])
  )
    .trim()
    .replace(/@sha256:.*$/, '');
}

export interface UpdateStatus {
  state: string;
  startedAt: string;
}

export async function updateStatus(name: string): Promise<UpdateStatus> {
  const r = await run('docker', [
    'service',
    'inspect',
    svc(name),
    '--format',
    '{{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.StartedAt}}{{end}}',
  ]);
  const [state = '', startedAt = ''] = r.stdout.trim().split('|');
  return { state, startedAt };
}

/** Starts a rolling update of `name` to `image`; returns the status to pass to waitForUpdate. */
export async function startImageUpdate(name: string, image: string): Promise<UpdateStatus> {
  const before = await updateStatus(name);
  await docker(['service', 'update', '--detach', '--image', image, svc(name)]);
  return before;
}

/**
 * Waits for the update begun after `before` was read to reach one of `states`. The status of an
 * earlier update (say "completed" from the last deploy) stays on the service until Swarm's updater
 * picks the new spec up, so a state alone could end the wait before the update has even started.
 */
export async function waitForUpdate(
  name: string,
  before: UpdateStatus,
  states: string[],
  timeoutMs: number,
): Promise<number> {
  return waitFor(
    `the ${name} update to reach ${states.join(' or ')}`,
    async () => {
      const now = await updateStatus(name);
      return now.startedAt !== before.startedAt && states.includes(now.state);
    },
    timeoutMs,
    2000,
  );
}

/**
 * Whether `docker ps`'s status says the container serves: healthy by its health check, or up
 * when it has none (the data tier's checks are off in the lab: Patroni, Sentinel and etcd
 * watch themselves, ADR 0206).
 */
export function healthyStatus(status: string): boolean {
  return (
    /\(healthy\)/.test(status) ||
    (/^Up/.test(status) && !/\((unhealthy|health: starting)\)/.test(status))
  );
}

/** Running containers of a service with their image and health. */
export async function containers(name: string) {
  const out = await docker([
    'ps',
    '--filter',
    `label=com.docker.swarm.service.name=${svc(name)}`,
    '--format',
    '{{.ID}}|{{.Image}}|{{.Status}}',
  ]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, image, status] = l.split('|');
      return { id: id!, image: image!, healthy: healthyStatus(status!) };
    });
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 1000,
) {
  const start = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A new image derived from `from`, built locally (no registry): `extra` are Dockerfile lines. */
export async function deriveImage(from: string, tag: string, extra: string[]): Promise<string> {
  await docker(['build', '-q', '-t', tag, '-'], {
    input: [`FROM ${from}`, ...extra].join('\n') + '\n',
  });
  return tag;
}

/** The running container of a one-replica service, or null (between restarts). */
export async function containerOf(service: string): Promise<string | null> {
  const r = await run('docker', [
    'ps',
    '-q',
    '--filter',
    `label=com.docker.swarm.service.name=${svc(service)}`,
    '--filter',
    'status=running',
  ]);
  return r.stdout.split('\n').filter(Boolean)[0] ?? null;
}

export async function desiredReplicas(name: string): Promise<number> {
  const out = await docker([
    'service',
    'inspect',
    svc(name),
    '--format',
    '{{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{else}}1{{end}}',
  ]);
  return Number(out.trim());
}

/** Every desired replica of `name` runs, is healthy and (when given) runs `image`. */
export async function serviceSettled(name: string, image?: string): Promise<boolean> {
  const cs = await containers(name);
  const desired = await desiredReplicas(name);
  return cs.length === desired && cs.every((c) => c.healthy && (!image || c.image === image));
}

/**
 * The full ids of the lab stack's containers: the running ones, or with `all` the stopped ones
 * too (what is left while a stack is being removed). Empty when there is no stack or no engine.
 */
export async function stackContainerIds(o: { all?: boolean } = {}): Promise<string[]> {
  const r = await run('docker', [
    'ps',
    ...(o.all ? ['-a'] : []),
    '-q',
    '--no-trunc',
    '--filter',
    `label=com.docker.stack.namespace=${STACK}`,
  ]);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/**
 * The stack's services that do not have all their replicas running and healthy (a container
 * without a health check counts once it runs); an empty list means the lab is up. Null when no
 * stack is deployed.
 */
export async function unhealthyServices(): Promise<string[] | null> {
  const ls = await run('docker', [
    'service',
    'ls',
    '--filter',
    `label=com.docker.stack.namespace=${STACK}`,
    '--format',
    '{{.Name}}|{{.Replicas}}',
  ]);
  const services = ls.stdout.split('\n').filter(Boolean);
  if (ls.code !== 0 || !services.length) return null;
  const ps = await run('docker', [
    'ps',
    '--filter',
    `label=com.docker.stack.namespace=${STACK}`,
    '--format',
    '{{.Label "com.docker.swarm.service.name"}}|{{.Status}}',
  ]);
  const healthy = new Map<string, number>();
  for (const l of ps.stdout.split('\n').filter(Boolean)) {
    const [name, status] = l.split('|') as [string, string];
    if (healthyStatus(status)) healthy.set(name, (healthy.get(name) ?? 0) + 1);
  }
  return services
    .map((l) => l.split('|') as [string, string])
    .filter(([name, replicas]) => {
      const desired = Number(/\/(\d+)/.exec(replicas)?.[1] ?? 0);
      return (healthy.get(name) ?? 0) < desired;
    })
    .map(([name]) => name.replace(`${STACK}_`, ''));
}
