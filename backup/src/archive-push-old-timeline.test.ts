/**
 * The members' archive_command (images/patroni/archive-push.sh, `pgbackrest-archive-push`) with
 * real pgBackRest and a real WAL segment, in the project's patroni image: a throwaway data
 * directory (initdb) and a repository on the container's own disk, no lab and no network.
 *
 * After a failover, a member that leads again can hold a copy of a segment from a timeline it
 * has left whose bytes differ from the repository's original. pgBackRest refuses it (exit 45)
 * and PostgreSQL retries it forever, so nothing after it is archived. The wrapper passes over
 * such a segment only when its timeline is older than the member's own; on the current timeline
 * the refusal (a sign of two primaries) stands.
 */
import { startScratchPatroni, type ScratchPatroni } from './testing/scratch-patroni';

let pg: ScratchPatroni | undefined;

/** Runs a bash script as postgres in the container, from the data directory. */
const sh = (script: string) =>
  pg!.sh(script, { workdir: '/tmp/pg', timeoutMs: 60_000, errexit: false });

const push = (segment: string) => sh(`pgbackrest-archive-push /tmp/bk.conf t pg_wal/${segment}`);

/** Changes the segment's last byte: the tail past its records, as on a recycled file. */
const changeTail = (segment: string, byte: string) =>
  sh(
    `printf ${byte} | dd of=pg_wal/${segment} bs=1 seek=$((16*1024*1024-1)) conv=notrunc 2>/dev/null`,
  );

const TL1 = '000000010000000000000001';
const TL2 = '000000020000000000000001';

beforeAll(async () => {
  pg = await startScratchPatroni(300);
  await pg.mustSh(
    `initdb -D /tmp/pg >/dev/null 2>&1
     mkdir -p /tmp/repo /tmp/lock
     printf '[global]\\nrepo1-path=/tmp/repo\\nlog-level-console=warn\\nlog-level-stderr=warn\\nlock-path=/tmp/lock\\n\\n[t]\\npg1-path=/tmp/pg\\n' > /tmp/bk.conf
     pgbackrest --config=/tmp/bk.conf --stanza=t --no-online stanza-create`,
    { timeoutMs: 60_000 },
  );
}, 90_000);

afterAll(async () => {
  await pg?.remove();
});

test('a segment is archived; the same name with other bytes is refused on the current timeline', async () => {
  expect((await push(TL1)).code).toBe(0);
  await changeTail(TL1, 'x');
  const refused = await push(TL1);
  expect(refused.code).toBe(45);
  expect(refused.stderr).toContain('already exists in the repo1 archive with a different checksum');
}, 60_000);

test('once the member has moved to a newer timeline, that old segment is passed over with a warning', async () => {
  // Promotion writes the new timeline's history file into pg_wal.
  await sh(`printf '1\\t0/1000000\\tno recovery target specified\\n' > pg_wal/00000002.history`);
  const r = await push(TL1);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/WARNING: 000000010000000000000001 is from timeline 1, .*now 2/);
}, 60_000);

test('on the new timeline a segment with other bytes is still refused (two primaries)', async () => {
  await sh(`cp pg_wal/${TL1} pg_wal/${TL2}`);
  expect((await push(TL2)).code).toBe(0);
  await changeTail(TL2, 'y');
  const r = await push(TL2);
  expect(r.code).toBe(45);
  expect(r.stderr).not.toContain('WARNING');
}, 60_000);
