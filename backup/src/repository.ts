import { z } from 'zod';
import { BackupError, classifyPgbackrestError } from './errors';
import { docker } from './sh';

const Status = z.object({ code: z.number(), message: z.string() });
const InfoJson = z.array(
  z.object({
    name: z.string(),
    status: Status,
    repo: z.array(z.object({ key: z.number(), status: Status })).default([]),
    backup: z
      .array(
        z.object({
          label: z.string(),
          type: z.string(),
          error: z.boolean().optional(),
          timestamp: z.object({ start: z.number(), stop: z.number() }),
          archive: z.object({ start: z.string().nullable(), stop: z.string().nullable() }),
          database: z.object({ 'repo-key': z.number() }).partial().optional(),
        }),
      )
      .default([]),
    archive: z
      .array(
        z.object({
          id: z.string(),
          min: z.string().nullable(),
          max: z.string().nullable(),
          database: z.object({ id: z.number(), 'repo-key': z.number() }).partial().optional(),
        }),
      )
      .default([]),
  }),
);

export interface RepoBackup {
  label: string;
  type: string;
  startedAt: Date;
  stoppedAt: Date;
}

export interface RepoState {
  repo: 1 | 2;
  backups: RepoBackup[];
  oldest: RepoBackup;
  newest: RepoBackup;
  archiveMax: string | null;
}

/** Reads pgBackRest's `info` JSON for one repository and turns its statuses into our errors. */
export function parseInfo(stdout: string, repo: 1 | 2, stanza: string): RepoState {
  let parsed: z.infer<typeof InfoJson>;
  try {
    parsed = InfoJson.parse(JSON.parse(stdout));
  } catch {
    // pgBackRest prints a damaged file's bytes inside its message, which may not be valid JSON.
    const m = /"message":"(\[\w+\][^\n\\]*)/.exec(stdout)?.[1];
    throw new BackupError(
      'repoCorrupt',
      `repo${repo} is corrupt: ${m ?? 'pgbackrest info printed no usable JSON'}`,
    );
  }
  const s = parsed.find((x) => x.name === stanza);
  if (!s) throw new BackupError('repoMissing', `repo${repo} holds no stanza ${stanza}`);
  const repoStatus = s.repo.find((r) => r.key === repo)?.status ?? s.status;
  if (repoStatus.code === 1 || repoStatus.code === 3)
    throw new BackupError('repoMissing', `repo${repo} is missing or empty (${repoStatus.message})`);
  if (repoStatus.code !== 0 && repoStatus.code !== 2)
    throw new BackupError(
      'repoCorrupt',
      `repo${repo} is corrupt: ${repoStatus.message
        .split('\n')[0]!
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 200)}`,
    );
  const backups = s.backup
    .filter((b) => !b.error && (b.database?.['repo-key'] ?? 1) === repo)
    .map((b) => ({
      label: b.label,
      type: b.type,
      startedAt: new Date(b.timestamp.start * 1000),
      stoppedAt: new Date(b.timestamp.stop * 1000),
    }))
    .sort((a, b) => a.stoppedAt.getTime() - b.stoppedAt.getTime());
  if (!backups.length)
    throw new BackupError('repoMissing', `repo${repo} has no valid backup yet (backup -- now)`);
  return {
    repo,
    backups,
    oldest: backups[0]!,
    newest: backups[backups.length - 1]!,
    archiveMax: currentArchiveMax(s.archive, repo),
  };
}

/**
 * The newest segment archived by the cluster the stanza now follows, in this repository. After
 * a new cluster is adopted (stanza-upgrade, ADR 0302) the earlier cluster's archive stays beside
 * it under a lower database id, and its names (a later timeline) would sort after the new ones.
 */
function currentArchiveMax(
  archive: z.infer<typeof InfoJson>[number]['archive'],
  repo: 1 | 2,
): string | null {
  const dbId = (a: (typeof archive)[number]) =>
    a.database?.id ?? Number(a.id.split('-').pop() ?? 0);
  const mine = archive.filter((a) => (a.database?.['repo-key'] ?? 1) === repo && a.max);
  if (!mine.length) return null;
  const current = Math.max(...mine.map(dbId));
  return (
    mine
      .filter((a) => dbId(a) === current)
      .map((a) => a.max!)
      .sort()
      .pop() ?? null
  );
}

export interface RepoSource {
  image: string;
  volume: string | undefined;
  repo: 1 | 2;
  stanza: string;
  key: string;
}

export async function volumeExists(volume: string | undefined): Promise<boolean> {
  return !!volume && (await docker(['volume', 'inspect', volume])).code === 0;
}

/**
 * `pgbackrest info` for one repository, run in a throwaway container with no network and the
 * volume mounted read-only, with the given key: exactly the view a restore will have.
 */
export async function repoInfo(src: RepoSource): Promise<RepoState> {
  if (!(await volumeExists(src.volume)))
    throw new BackupError(
      'repoMissing',
      `repository ${src.repo} is missing: no volume ${src.volume ?? '(none mounted)'}`,
    );
  const r = await docker(
    [
      'run',
      '--rm',
      '-i',
      '--network',
      'none',
      '--label',
      'dhakacart.backup.isolated=info',
      '--tmpfs',
      '/run/restore:mode=1777',
      '-v',
      `${src.volume}:/repo${src.repo}:ro`,
      '--entrypoint',
      '/usr/local/bin/pgbackrest-restore-isolated',
      src.image,
      '--repo',
      String(src.repo),
      '--info',
    ],
    { input: `${src.key}\n`, timeoutMs: 120_000 },
  );
  if (r.code !== 0) throw classifyPgbackrestError(r.stderr || r.stdout, 'repoCorrupt');
  return parseInfo(r.stdout, src.repo, src.stanza);
}
