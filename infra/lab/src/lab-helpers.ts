import { docker, run, sleep } from './sh';
import { STACK } from './paths';

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
      return { id: id!, image: image!, healthy: /\(healthy\)/.test(status!) };
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
