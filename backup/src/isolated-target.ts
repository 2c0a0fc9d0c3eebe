import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BackupError, classifyPgbackrestError } from './errors';
import { psqlExec } from './psql';
import type { RepoSource } from './repository';
import { docker, mustDocker, sleep } from './sh';

export const ISOLATED_LABEL = 'dhakacart.backup.isolated';
export const ISOLATED_PREFIX = 'dhakacart-restore-';

/** A throwaway PostgreSQL that a restore goes into: its own container on its own network. */
export interface IsolatedTarget {
  container: string;
  network: string;
}

const Inspect = z.object({
  Name: z.string(),
  Config: z.object({ Labels: z.record(z.string(), z.string()).nullable() }),
  State: z.object({ Status: z.string() }),
  HostConfig: z.object({ NetworkMode: z.string() }),
  NetworkSettings: z.object({ Networks: z.record(z.string(), z.unknown()).nullable() }),
  Mounts: z.array(
    z.object({
      Type: z.string(),
      Name: z.string().optional(),
      Destination: z.string(),
      RW: z.boolean(),
    }),
  ),
});

const refuse = (container: string, why: string) =>
  new BackupError(
    'liveTargetRefused',
    `refusing to restore into ${container}: ${why}; a restore only ever goes into a fresh isolated container`,
  );

/**
 * The guard every restore passes before a byte is written: the target must be a container this
 * tool created (labelled, not yet started, not part of any stack), alone on an internal network
 * it also created, writing only to a fresh anonymous volume, with the repositories read-only.
 * A live member fails every one of these.
 */
export async function assertIsolated(container: string): Promise<void> {
  const r = await docker(['inspect', '--type', 'container', container]);
  if (r.code !== 0) throw refuse(container, 'no such container');
  const c = Inspect.parse((JSON.parse(r.stdout) as unknown[])[0]);
  const labels = c.Config.Labels ?? {};
  if (labels[ISOLATED_LABEL] !== '1')
    throw refuse(container, `it lacks the ${ISOLATED_LABEL} label`);
  const stackish = Object.keys(labels).filter(
    (l) => l.startsWith('com.docker.stack.') || l.startsWith('com.docker.swarm.'),
  );
  if (stackish.length) throw refuse(container, `it belongs to a stack (${stackish[0]})`);
  if (c.State.Status !== 'created')
    throw refuse(container, `it is ${c.State.Status}, not freshly created`);
  const nets = Object.keys(c.NetworkSettings.Networks ?? {});
  if (nets.length !== 1 || !nets[0]!.startsWith(ISOLATED_PREFIX))
    throw refuse(
      container,
      `its networks (${nets.join(', ') || 'none'}) are not one throwaway network`,
    );
  const n = await docker([
    'network',
    'inspect',
    '-f',
    '{{.Internal}} {{json .Labels}} {{len .Containers}}',
    nets[0]!,
  ]);
  const [internal, netLabels, attached] = n.stdout.trim().split(' ');
  if (
    n.code !== 0 ||
    internal !== 'true' ||
    !netLabels?.includes(ISOLATED_LABEL) ||
    attached !== '0'
  )
    throw refuse(container, `network ${nets[0]} is not an internal throwaway network of its own`);
  for (const m of c.Mounts) {
    if (!m.RW) continue;
    if (m.Type === 'tmpfs') continue;
    if (m.Type !== 'volume' || !m.Name || !/^[0-9a-f]{64}$/.test(m.Name))
      throw refuse(
        container,
        `it writes to ${m.Name ?? m.Destination}, which is not a fresh anonymous volume`,
      );
    const users = await docker(['ps', '-a', '-q', '--filter', `volume=${m.Name}`]);
    if (users.stdout.split('\n').filter(Boolean).length !== 1)
      throw refuse(container, `its data volume is shared with another container`);
  }
}

export interface RestoreRequest extends RepoSource {
  streamVolume?: string;
  /** pgbackrest-restore-isolated options: --target, --cutoff, --partial. */
  args: string[];
}

/** Creates (does not start) a throwaway target for one restore. */
export async function createIsolatedTarget(req: RestoreRequest): Promise<IsolatedTarget> {
  const name = `${ISOLATED_PREFIX}${randomBytes(4).toString('hex')}`;
  await mustDocker(['network', 'create', '--internal', '--label', `${ISOLATED_LABEL}=1`, name]);
  const mounts = ['-v', `${req.volume}:/repo${req.repo}:ro`];
  if (req.streamVolume) mounts.push('-v', `${req.streamVolume}:/walstream:ro`);
  const r = await docker([
    'create',
    '-i',
    '--name',
    name,
    '--network',
    name,
    '--label',
    `${ISOLATED_LABEL}=1`,
    '--no-healthcheck',
    '--tmpfs',
    '/run/restore:mode=1777',
    '-v',
    '/var/lib/postgresql/restore',
    ...mounts,
    '--entrypoint',
    '/usr/local/bin/pgbackrest-restore-isolated',
    req.image,
    '--repo',
    String(req.repo),
    ...req.args,
  ]);
  if (r.code !== 0) {
    await docker(['network', 'rm', name]);
    throw new BackupError(
      'restoreFailed',
      `cannot create the restore container: ${r.stderr.trim()}`,
    );
  }
  return { container: name, network: name };
}

/**
 * Starts the restore in a target that passed the guard, handing it the key on stdin (never
 * argv or env), then waits until the restored database answers as a primary.
 */
export async function restoreInto(
  target: IsolatedTarget,
  key: string,
  timeoutMs: number,
): Promise<Date> {
  await assertIsolated(target.container);
  const child = spawn('docker', ['start', '-a', '-i', target.container], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(`${key}\n`);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const s = await docker(['inspect', '-f', '{{.State.Status}}', target.container]);
      const status = s.stdout.trim();
      if (status === 'exited' || status === 'dead') {
        const logs = await docker(['logs', '--tail', '40', target.container]);
        throw restoreError(logs.stderr + logs.stdout);
      }
      if (status === 'running') {
        try {
          const rows = await psqlExec(target.container, 'SELECT pg_is_in_recovery()', 'postgres');
          if (rows[0] === 'f') return new Date();
        } catch {
          /* restoring, replaying WAL or promoting */
        }
      }
      if (Date.now() > deadline)
        throw new BackupError(
          'restoreFailed',
          `the restored database did not answer within ${timeoutMs / 1000} s`,
        );
      await sleep(250);
    }
  } finally {
    child.unref();
  }
}

export function restoreError(logs: string): BackupError {
  if (/recovery ended before configured recovery target was reached/.test(logs))
    return new BackupError(
      'restoreFailed',
      'the repository holds no WAL up to the target time yet (archived WAL ends before it)',
    );
  if (/ERROR: \[\d{3}\]/.test(logs)) return classifyPgbackrestError(logs, 'restoreFailed');
  const fatal = logs
    .split('\n')
    .filter((l) => /FATAL|PANIC|restore-isolated:/.test(l))
    .pop();
  return new BackupError('restoreFailed', `the restore failed: ${fatal?.trim() ?? 'no log'}`);
}

export async function removeTarget(target: IsolatedTarget): Promise<void> {
  await docker(['rm', '-f', '-v', target.container]);
  await docker(['network', 'rm', target.network]);
}
