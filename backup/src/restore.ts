import { BackupError } from './errors';
import {
  createIsolatedTarget,
  removeTarget,
  restoreInto,
  type IsolatedTarget,
} from './isolated-target';
import { liveReader } from './leader';
import { readHistory } from './orders';
import { psqlExec } from './psql';
import { repoInfo, type RepoSource } from './repository';
import { assertAfterOldestBackup, pgTime } from './time';
import { walCutoff } from './wal';
import type { BackupEnv } from './environment';
import { newestOrderAt, verifyRestore } from './verify';

export interface RestoreOptions extends RepoSource {
  /** The backup service and its stream volume, when they run: the WAL streamed but not yet
   * archived (up to the partial segment of this moment) then counts too. */
  service?: BackupEnv;
  /** A point in time, or null for the latest state the repository holds. */
  to: Date | null;
  historyFile?: string;
  /** Live members to compare checksums with (read-only); none after a total loss. */
  liveMembers: string[];
  keep: boolean;
  restoreTimeoutMs: number;
  say: (line: string) => void;
}

export interface RestoreResult {
  target: string;
  container: string | null;
  to: string | null;
  rtoSeconds: number;
  backup: string;
  newestOrder: string | null;
  ordersVerified: number;
  mismatches: number;
  ordersAfterTarget: number;
  checksum: string | null;
}

/**
 * Point-in-time restore into a fresh isolated PostgreSQL, verified like the drill: every order
 * acknowledged at or before the target is present and identical to the live row, and no order
 * created after the target is.
 */
export async function restoreToTime(opts: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const state = await repoInfo(opts);
  if (opts.to) assertAfterOldestBackup(opts.to, state.oldest.stoppedAt, opts.repo);
  opts.say(`repo${opts.repo}: oldest backup ${state.oldest.label}, newest ${state.newest.label}`);
  let target: IsolatedTarget | null = null;
  let keepTarget = false;
  try {
    const stream = opts.service
      ? await walCutoff(opts.service, `restore-${Date.now().toString(36)}`)
      : null;
    const partial = stream?.partial ?? null;
    target = await createIsolatedTarget({
      ...opts,
      streamVolume: partial ? opts.service?.streamVolume : undefined,
      args: [
        ...(opts.to ? ['--target', pgTime(opts.to)] : []),
        ...(partial ? ['--partial', partial] : []),
      ],
    });
    const answered = await restoreInto(target, opts.key, opts.restoreTimeoutMs);
    const rtoSeconds = (answered.getTime() - started) / 1000;
    opts.say(`restored database answers after ${rtoSeconds.toFixed(1)} s (${target.container})`);
    const newest = await newestOrderAt(target.container);
    let after = 0;
    if (opts.to) {
      const [n] = await psqlExec(
        target.container,
        `SELECT count(*) FROM orders WHERE created_at > '${pgTime(opts.to)}'::timestamptz`,
      );
      after = Number(n);
    }
    let verified = 0;
    let mismatches = after;
    let checksum: string | null = null;
    if (opts.historyFile) {
      if (!opts.liveMembers.length)
        throw new BackupError('usage', '--history needs a live database to compare with');
      const v = await verifyRestore({
        acks: readHistory(opts.historyFile),
        until: opts.to ?? answered,
        recoveryPoint: opts.to ?? newest,
        restored: target.container,
        live: await liveReader(opts.liveMembers),
      });
      verified = v.ordersVerified;
      mismatches += v.mismatches;
      checksum = v.checksum;
    }
    const result: RestoreResult = {
      target: `isolated container ${target.container} on internal network ${target.network} (repo${opts.repo})`,
      container: opts.keep ? target.container : null,
      to: opts.to?.toISOString() ?? null,
      rtoSeconds: Math.round(rtoSeconds * 1000) / 1000,
      backup: state.newest.label,
      newestOrder: newest?.toISOString() ?? null,
      ordersVerified: verified,
      mismatches,
      ordersAfterTarget: after,
      checksum,
    };
    if (mismatches)
      throw Object.assign(
        new BackupError(
          'verifyFailed',
          `restore verification failed: ${mismatches} mismatches (${after} orders from after the target)`,
        ),
        { result },
      );
    keepTarget = opts.keep;
    return result;
  } finally {
    if (target && !keepTarget) await removeTarget(target);
  }
}
