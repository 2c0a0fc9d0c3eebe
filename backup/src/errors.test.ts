import { classifyPgbackrestError, EXIT } from './errors';
import { parseInfo } from './repository';

test("pgBackRest's and the restore script's failures map to distinct exit codes", () => {
  const cases: [string, number][] = [
    ['restore-isolated: the key does not decrypt repository 1 (archive.info)', EXIT.wrongKey],
    [
      'restore-isolated: repository 2 holds no stanza dhakacart (missing or empty)',
      EXIT.repoMissing,
    ],
    [
      "ERROR: [055]: unable to load info file '/repo1/backup/dhakacart/backup.info'",
      EXIT.repoMissing,
    ],
    ['ERROR: [029]: invalid checksum in backup.info', EXIT.repoCorrupt],
    ['ERROR: [099]: something else entirely', EXIT.restoreFailed],
  ];
  for (const [text, code] of cases)
    expect([text, classifyPgbackrestError(text, 'restoreFailed').exitCode]).toEqual([text, code]);
});

const info = (repoStatus: { code: number; message: string }, backups: unknown[] = []) =>
  JSON.stringify([
    {
      name: 'dhakacart',
      status: { code: 0, message: 'ok' },
      repo: [{ key: 1, status: repoStatus }],
      backup: backups,
      archive: [{ id: '15-1', min: '000000010000000000000001', max: '000000010000000000000009' }],
    },
  ]);
const backup = (label: string, stop: number, repo = 1) => ({
  label,
  type: label.endsWith('F') ? 'full' : 'diff',
  timestamp: { start: stop - 5, stop },
  archive: { start: null, stop: null },
  database: { 'repo-key': repo },
});

test('pgbackrest info is read per repository, oldest and newest good backup first', () => {
  const s = parseInfo(
    info({ code: 0, message: 'ok' }, [
      backup('b-F', 1000),
      backup('c-D', 2000),
      backup('x-F', 3000, 2),
    ]),
    1,
    'dhakacart',
  );
  expect([s.oldest.label, s.newest.label, s.backups.length, s.archiveMax]).toEqual([
    'b-F',
    'c-D',
    2,
    '000000010000000000000009',
  ]);
});

test("after a new cluster is adopted, the archive's newest segment is the new cluster's, in this repository", () => {
  const entry = (db: number, repo: number, max: string) => ({
    id: `15-${db}`,
    min: '000000010000000000000001',
    max,
    database: { id: db, 'repo-key': repo },
  });
  const out = JSON.stringify([
    {
      name: 'dhakacart',
      status: { code: 0, message: 'ok' },
      repo: [{ key: 1, status: { code: 0, message: 'ok' } }],
      backup: [backup('a-F', 1000), backup('b-F', 2000, 2)],
      // The earlier cluster reached timeline 8; the new one is on timeline 1 (as on the lab).
      archive: [
        entry(1, 1, '00000008000000000000003B'),
        entry(2, 1, '000000010000000000000008'),
        entry(1, 2, '00000008000000000000003C'),
        entry(2, 2, '000000010000000000000009'),
      ],
    },
  ]);
  expect(parseInfo(out, 1, 'dhakacart').archiveMax).toBe('000000010000000000000008');
  expect(parseInfo(out, 2, 'dhakacart').archiveMax).toBe('000000010000000000000009');
});

test('an empty, missing or unreadable repository is an error of its own kind', () => {
  const kind = (out: string) => {
    try {
      parseInfo(out, 1, 'dhakacart');
      return 'accepted';
    } catch (e) {
      return (e as { kind: string }).kind;
    }
  };
  expect(kind(info({ code: 1, message: 'missing stanza path' }))).toBe('repoMissing');
  expect(kind(info({ code: 0, message: 'ok' }))).toBe('repoMissing'); // no backup yet
  expect(kind(info({ code: 99, message: '[FormatError] invalid checksum' }))).toBe('repoCorrupt');
  expect(kind('[{"name": "dhakacart", "status": {"code": 99, "message": "\u0001 raw bytes')).toBe(
    'repoCorrupt',
  );
});
