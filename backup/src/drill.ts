import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cipherFromService, type BackupEnv } from './environment';
import { BackupError } from './errors';
import {
  createIsolatedTarget,
  removeTarget,
  restoreInto,
  type IsolatedTarget,
} from './isolated-target';
import { liveLeader, liveReader } from './leader';
import { OrderWriter, readHistory } from './orders';
import { repoInfo } from './repository';
import { walCutoff } from './wal';
import { docker, sleep } from './sh';
import { newestOrderAt, verifyRestore } from './verify';

/** The goals; the drill reports whether they were met. */
export const GOALS = { rtoSeconds: 300, rpoSeconds: 5 };

export interface DrillOptions {
  env: BackupEnv;
  repo: 1 | 2;
  /** The passphrase; by default read from the backup service's secret. */
  key?: string;
  /** An external writer's history (e.g. loadtests); by default the drill writes orders itself. */
  historyFile?: string;
  warmupMs: number;
  writeIntervalMs: number;
  restoreTimeoutMs: number;
  keep: boolean;
  record: boolean;
  say: (line: string) => void;
}

export interface DrillResult {
  rtoSeconds: number;
  rpoSeconds: number;
  ordersVerified: number;
  mismatches: number;
  target: string;
  ok: boolean;
  at: string;
  recoveryPoint: string | null;
  gapOrders: number;
  repo: number;
  backup: string;
  cutoffSegment: string;
  checksum: string;
  ordersAcknowledged: number;
  goalsMet: boolean;
}

export async function recordDrill(env: BackupEnv, result: Record<string, unknown>) {
  await docker(['exec', '-i', env.backupContainer, 'dhakacart-backup', 'record-drill'], {
    input: JSON.stringify({ ...result, finishedAt: Date.now() / 1000 }),
  });
}

/**
 * The restore drill: under continuous order writes, at a moment T restore the latest state the
 * repository held at T into a fresh isolated PostgreSQL, then check it against the clients'
 * history and the live rows. RTO = T until the restored database answers; RPO = T minus the
 * newest order it holds.
 */
export async function drill(opts: DrillOptions): Promise<DrillResult> {
  const { env, say } = opts;
  const key = opts.key ?? (await cipherFromService(env));
  const volume = env.repoVolumes[opts.repo];
  const state = await repoInfo({
    image: env.restoreImage,
    volume,
    repo: opts.repo,
    stanza: env.stanza,
    key,
  });
  say(`repo${opts.repo}: ${state.backups.length} backups, newest ${state.newest.label}`);
  const work = mkdtempSync(join(tmpdir(), 'dhakacart-drill-'));
  const historyFile = opts.historyFile ?? join(work, 'orders.jsonl');
  const writer = opts.historyFile
    ? null
    : new OrderWriter({
        leader: () => liveLeader(env.pgContainers),
        historyFile,
        intervalMs: opts.writeIntervalMs,
        maxDurationMs: opts.warmupMs + opts.restoreTimeoutMs + 60_000,
      });
  let target: IsolatedTarget | null = null;
  try {
    if (writer) {
      await writer.prepare();
      writer.start();
      say(`writing orders continuously; warming up ${opts.warmupMs / 1000} s`);
    }
    await sleep(opts.warmupMs);
    const name = `drill-${randomBytes(4).toString('hex')}`;
    const cutoff = await walCutoff(env, name);
    // T is taken once the repository's state is fixed: anything committed by then may be in the
    // restore, so the RPO is never measured from an earlier moment than the data it holds.
    const T = new Date();
    say(
      `T = ${T.toISOString()}: restoring up to WAL ${cutoff.segment}${cutoff.partial ? ' (with the streamed partial segment)' : ''}`,
    );
    target = await createIsolatedTarget({
      image: env.restoreImage,
      volume,
      repo: opts.repo,
      stanza: env.stanza,
      key,
      streamVolume: cutoff.partial ? env.streamVolume : undefined,
      args: ['--cutoff', cutoff.segment, ...(cutoff.partial ? ['--partial', cutoff.partial] : [])],
    });
    const answered = await restoreInto(target, key, opts.restoreTimeoutMs);
    const rtoSeconds = (answered.getTime() - T.getTime()) / 1000;
    say(`restored database answers after ${rtoSeconds.toFixed(1)} s`);
    await writer?.stop();
    const recoveryPoint = await newestOrderAt(target.container);
    const acks = readHistory(historyFile);
    const v = await verifyRestore({
      acks,
      until: T,
      recoveryPoint,
      restored: target.container,
      live: await liveReader(env.pgContainers),
    });
    const rpoSeconds = recoveryPoint
      ? Math.max(0, (T.getTime() - recoveryPoint.getTime()) / 1000)
      : Infinity;
    const ok = v.mismatches === 0 && v.ordersVerified > 0;
    const result: DrillResult = {
      rtoSeconds: round(rtoSeconds),
      rpoSeconds: round(rpoSeconds),
      ordersVerified: v.ordersVerified,
      mismatches: v.mismatches,
      target: `isolated container ${target.container} on internal network ${target.network} (repo${opts.repo})`,
      ok,
      at: T.toISOString(),
      recoveryPoint: recoveryPoint?.toISOString() ?? null,
      gapOrders: v.gapOrders,
      repo: opts.repo,
      backup: state.newest.label,
      cutoffSegment: cutoff.segment,
      checksum: v.checksum,
      ordersAcknowledged: acks.length,
      goalsMet: ok && rtoSeconds <= GOALS.rtoSeconds && rpoSeconds <= GOALS.rpoSeconds,
    };
    if (opts.record) await recordDrill(env, { ...result });
    if (!ok) {
      const what =
        v.ordersVerified === 0
          ? 'no acknowledged order to verify'
          : `${v.mismatches} orders missing or different (${[...v.missing, ...v.differing].slice(0, 3).join(', ')})`;
      throw Object.assign(new BackupError('verifyFailed', `drill verification failed: ${what}`), {
        result,
      });
    }
    return result;
  } catch (e) {
    if (opts.record && !(e instanceof BackupError && e.kind === 'verifyFailed'))
      await recordDrill(env, {
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      }).catch(() => undefined);
    throw e;
  } finally {
    await writer?.stop();
    if (target && !opts.keep) await removeTarget(target);
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
