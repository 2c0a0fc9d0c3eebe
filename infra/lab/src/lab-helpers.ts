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

export async function updateState(name: string): Promise<string> {
  const r = await run('docker', [
    'service',
    'inspect',
    svc(name),
    '--format',
    '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}',
  ]);
  return r.stdout.trim();
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
