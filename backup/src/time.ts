import { BackupError } from './errors';

const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * A restore target time: ISO 8601 with an explicit zone (2026-05-01T10:15:00Z or
 * 2026-05-01 16:15:00+06:00). A time without a zone is refused: in a restore, "10:15" read
 * in the wrong zone is six hours of orders.
 */
export function parseRestoreTime(raw: string, now: Date = new Date()): Date {
  const s = raw.trim();
  if (!ISO_WITH_ZONE.test(s))
    throw new BackupError(
      'badTime',
      `cannot read the time "${raw}": use ISO 8601 with a zone, e.g. 2026-05-01T10:15:00Z`,
    );
  const t = new Date(s.replace(' ', 'T'));
  if (Number.isNaN(t.getTime()))
    throw new BackupError('badTime', `"${raw}" is not a real date and time`);
  if (t.getTime() > now.getTime() + 1000)
    throw new BackupError(
      'timeInFuture',
      `the time ${t.toISOString()} is in the future (now is ${now.toISOString()})`,
    );
  return t;
}

/** The time as PostgreSQL and pgBackRest read a recovery target: `YYYY-MM-DD HH:MM:SS.mmm+00`. */
export function pgTime(t: Date): string {
  return t.toISOString().replace('T', ' ').replace('Z', '+00');
}

export function assertAfterOldestBackup(t: Date, oldestStop: Date, repo: number) {
  if (t.getTime() < oldestStop.getTime())
    throw new BackupError(
      'beforeOldestBackup',
      `the time ${t.toISOString()} is before the oldest backup in repo${repo} (finished ${oldestStop.toISOString()})`,
    );
}
