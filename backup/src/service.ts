import { z } from 'zod';
import type { BackupEnv } from './environment';
import { BackupError, classifyPgbackrestError } from './errors';
import { parseInfo, type RepoState } from './repository';
import { docker } from './sh';

const ServiceInfo = z.object({
  info: z.unknown().nullable(),
  error: z.string().nullable(),
  archiver: z
    .object({
      leader: z.string(),
      lastArchivedAt: z.number(),
      failing: z.number(),
      pendingSegments: z.number(),
      lagSeconds: z.number(),
    })
    .nullable(),
  drill: z.record(z.string(), z.unknown()).nullable(),
  walStream: z.boolean(),
  repoSizes: z.record(z.string(), z.number()),
});

export interface Status {
  repos: {
    repo: number;
    ok: boolean;
    error?: string;
    backups: number;
    newest?: { label: string; type: string; stoppedAt: string; ageSeconds: number };
    oldest?: { label: string; stoppedAt: string };
    archiveMax?: string | null;
    sizeBytes: number;
  }[];
  walArchiving: {
    leader: string;
    failing: boolean;
    lagSeconds: number;
    pendingSegments: number;
    lastArchivedAt: string;
  } | null;
  walStreaming: boolean;
  lastDrill: Record<string, unknown> | null;
}

/** The backup service's view: both repositories, WAL archiving on the leader, the last drill. */
export async function status(env: BackupEnv): Promise<Status> {
  const r = await docker(['exec', env.backupContainer, 'dhakacart-backup', 'info'], {
    timeoutMs: 180_000,
  });
  let parsed: z.infer<typeof ServiceInfo>;
  try {
    parsed = ServiceInfo.parse(JSON.parse(r.stdout));
  } catch {
    throw classifyPgbackrestError(r.stderr || r.stdout, 'internal');
  }
  const raw = JSON.stringify(parsed.info ? [parsed.info] : []);
  const now = Date.now();
  const repos = ([1, 2] as const).map((repo) => {
    const sizeBytes = parsed.repoSizes[String(repo)] ?? 0;
    try {
      if (!parsed.info) throw classifyPgbackrestError(parsed.error ?? '', 'repoCorrupt');
      const s: RepoState = parseInfo(raw, repo, env.stanza);
      return {
        repo,
        ok: true,
        backups: s.backups.length,
        newest: {
          label: s.newest.label,
          type: s.newest.type,
          stoppedAt: s.newest.stoppedAt.toISOString(),
          ageSeconds: Math.round((now - s.newest.stoppedAt.getTime()) / 1000),
        },
        oldest: { label: s.oldest.label, stoppedAt: s.oldest.stoppedAt.toISOString() },
        archiveMax: s.archiveMax,
        sizeBytes,
      };
    } catch (e) {
      return {
        repo,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
        backups: 0,
        sizeBytes,
      };
    }
  });
  const a = parsed.archiver;
  return {
    repos,
    walArchiving: a
      ? {
          leader: a.leader,
          failing: a.failing === 1,
          lagSeconds: a.lagSeconds,
          pendingSegments: a.pendingSegments,
          lastArchivedAt: new Date(a.lastArchivedAt * 1000).toISOString(),
        }
      : null,
    walStreaming: parsed.walStream,
    lastDrill: parsed.drill,
  };
}

const NowResult = z.object({
  ok: z.boolean(),
  type: z.string(),
  error: z.string().optional(),
  repos: z.array(
    z.object({
      repo: z.number(),
      ok: z.boolean(),
      seconds: z.number(),
      error: z.string().optional(),
    }),
  ),
});
export type NowResult = z.infer<typeof NowResult>;

/** An on-demand backup, taken by the backup service itself (backups run on the repository host). */
export async function backupNow(env: BackupEnv, type: string, repo: string): Promise<NowResult> {
  const r = await docker(
    ['exec', env.backupContainer, 'dhakacart-backup', 'now', '--type', type, '--repo', repo],
    {
      timeoutMs: 4 * 3600_000,
    },
  );
  let res: NowResult;
  try {
    res = NowResult.parse(JSON.parse(r.stdout));
  } catch {
    throw new BackupError(
      'backupFailed',
      `the backup service failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`,
    );
  }
  if (!res.ok) {
    const err = res.error ?? res.repos.find((x) => !x.ok)?.error ?? 'unknown error';
    throw Object.assign(new BackupError('backupFailed', `backup failed: ${err}`), { result: res });
  }
  return res;
}
