import { BackupError } from './errors';
import { assertAfterOldestBackup, parseRestoreTime, pgTime } from './time';

const now = new Date('2026-12-01T12:00:00Z');
const kind = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as BackupError).kind;
  }
  return 'accepted';
};

test('a time with a zone is read in that zone', () => {
  expect(parseRestoreTime('2026-12-01T16:15:00+06:00', now).toISOString()).toBe(
    '2026-12-01T10:15:00.000Z',
  );
  expect(parseRestoreTime('2026-12-01 10:15:00.250Z', now).toISOString()).toBe(
    '2026-12-01T10:15:00.250Z',
  );
});

test('a time without a zone, or not a time at all, is refused as unreadable', () => {
  expect(kind(() => parseRestoreTime('2026-12-01T10:15:00', now))).toBe('badTime');
  expect(kind(() => parseRestoreTime('yesterday', now))).toBe('badTime');
  expect(kind(() => parseRestoreTime('2026-13-45T10:15:00Z', now))).toBe('badTime');
});

test('a time in the future is refused', () => {
  expect(kind(() => parseRestoreTime('2026-12-01T12:00:30Z', now))).toBe('timeInFuture');
  expect(kind(() => parseRestoreTime('2026-12-01T12:00:00.500Z', now))).toBe('accepted');
});

test('a time before the oldest backup is refused', () => {
  const oldest = new Date('2026-11-30T00:00:00Z');
  expect(kind(() => assertAfterOldestBackup(new Date('2026-11-29T23:59:59Z'), oldest, 1))).toBe(
    'beforeOldestBackup',
  );
  expect(kind(() => assertAfterOldestBackup(oldest, oldest, 1))).toBe('accepted');
});

test('the recovery target is written the way PostgreSQL and pgBackRest read it', () => {
  expect(pgTime(new Date('2026-12-01T10:15:00.250Z'))).toBe('2026-12-01 10:15:00.250+00');
});
