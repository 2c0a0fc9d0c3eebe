import { z } from 'zod';
import type { BackupEnv } from './environment';
import { BackupError } from './errors';
import { docker } from './sh';

const Cutoff = z.object({
  archived: z.string().nullable(),
  partial: z.string().nullable(),
  streamed: z.string().optional(),
});

/** The WAL the repository (and the stream, when on) held at this moment: the drill's T. */
export async function walCutoff(env: BackupEnv, name: string) {
  const r = await docker(['exec', env.backupContainer, 'dhakacart-backup', 'wal-cutoff', name]);
  if (r.code !== 0) throw new BackupError('repoMissing', `wal-cutoff failed: ${r.stderr.trim()}`);
  const c = Cutoff.parse(JSON.parse(r.stdout));
  const partialSeg = c.partial?.split('/').pop()?.slice(0, 24);
  const segment = partialSeg ?? c.streamed ?? c.archived;
  if (!segment) throw new BackupError('repoMissing', 'no WAL has been archived yet');
  return { segment, partial: c.partial };
}
