/**
 * The backup service (images/pgbackrest/backup_service.py) after `npm run lab -- down --volumes`
 * and `up`: the kept repositories hold the stanza of the removed cluster, and the new cluster
 * has another system id. Real pgBackRest and real PostgreSQL in the project's patroni image (it
 * carries both, and python3, at the versions the backup image has): a throwaway cluster A with a
 * full backup in two repositories, then cluster B in the same data directory, no lab and no
 * network. The service's own functions run on it, with the repository paths pointed at the
 * container's disk.
 */
import { REPO_ROOT } from '@dhakacart/lab-client';
import { join } from 'node:path';
import { startScratchPatroni, type ScratchPatroni } from './testing/scratch-patroni';

let pg: ScratchPatroni | undefined;

/** Runs a bash script as postgres in the container, from /tmp. */
const sh = (script: string) => pg!.sh(script);
const mustSh = (script: string) => pg!.mustSh(script);

const CONF = `[global]
repo1-path=/tmp/repo1
repo2-path=/tmp/repo2
lock-path=/tmp/lock
log-path=/tmp/log
log-level-console=warn
log-level-stderr=warn
start-fast=y

[dhakacart]
pg1-path=/tmp/pg
pg1-socket-path=/tmp
`;

/** initdb, archiving to the repositories as the members do, started on a socket in /tmp. */
const newCluster = `rm -rf /tmp/pg
initdb -D /tmp/pg >/dev/null
cat >> /tmp/pg/postgresql.conf <<'EOF'
listen_addresses = ''
unix_socket_directories = '/tmp'
archive_mode = on
archive_command = 'pgbackrest --config=/tmp/bk.conf --stanza=dhakacart archive-push %p'
EOF
pg_ctl -D /tmp/pg -l /tmp/pg.log -w start >/dev/null
psql -h /tmp -d postgres -Atc 'SELECT system_identifier FROM pg_control_system()'`;

/** Calls the service's functions (Python) with the repositories on the container's disk. */
const service = (call: string) =>
  mustSh(`python3 - <<'EOF'
import json, sys
sys.path.insert(0, "/tmp/svc")
import backup_service as b
b.CONF = "/tmp/bk.conf"
b.REPOS = {1: "/tmp/repo1", 2: "/tmp/repo2"}
info, err = b.info_json()
now = __import__("time").time()
print(json.dumps(${call}))
EOF`);

/**
 * The stanza as pgBackRest reports it, read in Python: a system id is a 64-bit integer, beyond
 * what a JavaScript number holds exactly.
 */
const stanza = async () =>
  JSON.parse(
    await service(`{
      "current": b.stanza_system_ids(info),
      "dbs": {str(d["repo-key"]): max(x["id"] for x in info["db"] if x["repo-key"] == d["repo-key"]) for d in info["db"]},
      "fulls": [[bk["database"]["repo-key"], bk["database"]["id"]] for bk in info["backup"] if bk["type"] == "full"],
    }`),
  ) as { current: Record<string, string>; dbs: Record<string, number>; fulls: [number, number][] };

/** B's copy goes under a name of its own: both clusters' first segments share theirs. */
const B_SEGMENT = '000000010000000000000099';

let clusterA = '';
let clusterB = '';

beforeAll(async () => {
  pg = await startScratchPatroni(600);
  await pg.copyIn(
    join(REPO_ROOT, 'images', 'pgbackrest', 'backup_service.py'),
    '/tmp/backup_service.py',
  );
  await mustSh(`mkdir -p /tmp/svc /tmp/repo1 /tmp/repo2 /tmp/lock /tmp/log /tmp/stream
    cp /tmp/backup_service.py /tmp/svc/
    cat > /tmp/bk.conf <<'EOF'
${CONF}EOF`);
  clusterA = await mustSh(
    `${newCluster}
     pgbackrest --config=/tmp/bk.conf --stanza=dhakacart stanza-create >/dev/null
     pgbackrest --config=/tmp/bk.conf --stanza=dhakacart --repo=1 --type=full backup
     pgbackrest --config=/tmp/bk.conf --stanza=dhakacart --repo=2 --type=full backup
     # A streamed copy of one of A's segments, as pg_receivewal keeps them.
     cp "$(ls -d /tmp/pg/pg_wal/0* | head -1)" /tmp/stream/
     pg_ctl -D /tmp/pg -w stop -m fast >/dev/null`,
  );
  clusterB = await mustSh(`${newCluster}
     cp "$(ls -d /tmp/pg/pg_wal/0* | head -1)" /tmp/stream/${B_SEGMENT}`);
}, 300_000);

afterAll(async () => {
  await pg?.remove();
});

test('the two clusters differ, and the kept stanza refuses the new one until it is adopted', async () => {
  expect(clusterA).toMatch(/^\d+$/);
  expect(clusterB).toMatch(/^\d+$/);
  expect(clusterB).not.toBe(clusterA);
  const check = await sh('pgbackrest --config=/tmp/bk.conf --stanza=dhakacart check');
  expect(check.code).not.toBe(0);
  expect(check.stderr + check.stdout).toMatch(/do not match the database/);
}, 120_000);

test('the service adopts the new cluster: earlier backups kept, a full backup of the new one in both repositories', async () => {
  const adopted = JSON.parse(await service(`b.adopt_new_cluster(info, "${clusterB}")`)) as {
    ok: boolean;
    previous: Record<string, string>;
  };
  expect(adopted.ok).toBe(true);
  expect(adopted.previous).toEqual({ '1': clusterA, '2': clusterA });

  const after = await stanza();
  expect(after.current).toEqual({ '1': clusterB, '2': clusterB });
  for (const repo of [1, 2]) {
    const id = after.dbs[String(repo)]!;
    // A's backup is still there (the earlier database id), beside the new cluster's.
    const fulls = after.fulls.filter(([r]) => r === repo).map(([, db]) => db);
    expect(fulls.sort()).toEqual([id - 1, id]);
  }
  // Archiving works again: pgBackRest's own check pushes and finds a segment of B.
  expect((await sh('pgbackrest --config=/tmp/bk.conf --stanza=dhakacart check')).code).toBe(0);
}, 300_000);

test('the schedule and the backup-age metric count only the cluster the stanza follows now', async () => {
  // The repositories as they were before the adoption's own full backup: A's full backup, under
  // database id 1, beside the newly recorded database id 2 (B). A's backup is fresh, yet B has
  // none: a full is due in both repositories.
  const due = JSON.parse(
    await service(`b.due({
      "db": [{"id": 1, "repo-key": 1}, {"id": 2, "repo-key": 1}, {"id": 1, "repo-key": 2}, {"id": 2, "repo-key": 2}],
      "backup": [{"type": "full", "database": {"id": 1, "repo-key": r}, "timestamp": {"stop": now - 60}} for r in (1, 2)],
    }, now)`),
  ) as Record<string, string>;
  expect(due).toEqual({ '1': 'full', '2': 'full' });
  // On the real repositories after the adoption, nothing is due: B's full backup is fresh.
  expect(await service('b.due(info, now)')).toBe('{}');
}, 120_000);

test('a second look finds nothing to adopt', async () => {
  expect(await service(`b.adopt_new_cluster(info, "${clusterB}")`)).toBe('null');
}, 120_000);

test("the streamed copy of the earlier cluster's segment is set aside, the new one's stays", async () => {
  const moved = await service(`b.set_aside_stream("${clusterB}", "/tmp/stream")`);
  expect(moved).toBe('1');
  const listing = await mustSh('cd /tmp/stream && find . -type f | sort');
  const lines = listing.split('\n');
  expect(lines).toContain(`./${B_SEGMENT}`);
  expect(lines.some((l) => l.startsWith(`./previous-${clusterA}/0`))).toBe(true);
  expect(await service(`b.set_aside_stream("${clusterB}", "/tmp/stream")`)).toBe('0');
}, 120_000);
