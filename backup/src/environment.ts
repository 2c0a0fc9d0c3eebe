import { z } from 'zod';
import { BackupError } from './errors';
import { docker } from './sh';

/** Where the repository volumes are mounted in the backup service (images/pgbackrest). */
export const REPO_MOUNTS = {
  1: '/var/lib/pgbackrest/repo1',
  2: '/var/lib/pgbackrest/repo2',
} as const;
export const STREAM_MOUNT = '/var/lib/pgbackrest/walstream';
export const CIPHER_SECRET = '/run/secrets/backup_cipher_pass';

/**
 * What a backup command works with. In the lab these are found from the Swarm stack's labels
 * (the same way infra/lab finds its members); elsewhere (the tests, the benchmark) they are
 * named explicitly. Live members are only ever read from (checksums), never written.
 */
export interface BackupEnv {
  stanza: string;
  backupContainer: string;
  /** The live database members' containers (read-only use). */
  pgContainers: string[];
  repoVolumes: Partial<Record<1 | 2, string>>;
  streamVolume?: string;
  /** The image the isolated restore runs in: the members' own (patroni, with pgBackRest). */
  restoreImage: string;
}

const Mounts = z.array(
  z.object({ Type: z.string(), Name: z.string().optional(), Destination: z.string() }),
);

async function running(container: string): Promise<boolean> {
  const r = await docker(['inspect', '-f', '{{.State.Running}}', container]);
  return r.code === 0 && r.stdout.trim() === 'true';
}

/** The running container of a stack service, or null. */
export async function serviceContainer(stack: string, service: string): Promise<string | null> {
  const r = await docker([
    'ps',
    '-q',
    '--filter',
    `label=com.docker.swarm.service.name=${stack}_${service}`,
    '--filter',
    'status=running',
  ]);
  return r.stdout.split('\n').filter(Boolean)[0] ?? null;
}

export interface DiscoverOptions {
  stack?: string;
  backupContainer?: string;
  pgContainers?: string[];
  stanza?: string;
}

export const LAB_MEMBERS = ['pg1', 'pg2', 'pg3'] as const;

export async function discover(opts: DiscoverOptions = {}): Promise<BackupEnv> {
  const stack = opts.stack ?? 'dhakacart';
  let backup = opts.backupContainer ?? null;
  let members = opts.pgContainers ?? [];
  if (!backup) {
    backup = await serviceContainer(stack, 'backup');
    const found = await Promise.all(LAB_MEMBERS.map((m) => serviceContainer(stack, m)));
    members = found.filter((c): c is string => !!c);
    if (!backup)
      throw new BackupError(
        'labDown',
        `the lab is down: no running backup service (${stack}_backup); start it with npm run lab`,
      );
    if (!members.length)
      throw new BackupError('labDown', `the lab is down: no running database member in ${stack}`);
  } else {
    if (!(await running(backup)))
      throw new BackupError('labDown', `the backup service container ${backup} is not running`);
    const alive = await Promise.all(members.map(running));
    members = members.filter((_, i) => alive[i]);
    if (!members.length)
      throw new BackupError('labDown', 'no running database member among those named');
  }
  const inspect = await docker(['inspect', '-f', '{{json .Mounts}}', backup]);
  const mounts = Mounts.parse(JSON.parse(inspect.stdout || '[]'));
  const vol = (dest: string) => mounts.find((m) => m.Destination === dest && m.Name)?.Name;
  const image = (await docker(['inspect', '-f', '{{.Config.Image}}', members[0]!])).stdout.trim();
  return {
    stanza: opts.stanza ?? 'dhakacart',
    backupContainer: backup,
    pgContainers: members,
    repoVolumes: { 1: vol(REPO_MOUNTS[1]), 2: vol(REPO_MOUNTS[2]) },
    streamVolume: vol(STREAM_MOUNT),
    restoreImage: image,
  };
}

/** The passphrase, read from the backup service's secret file (kept in memory, never printed). */
export async function cipherFromService(env: BackupEnv): Promise<string> {
  const r = await docker(['exec', env.backupContainer, 'cat', CIPHER_SECRET]);
  if (r.code !== 0 || !r.stdout.trim())
    throw new BackupError('repoMissing', 'the backup service has no encryption key secret');
  return r.stdout.trim();
}
