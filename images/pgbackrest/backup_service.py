"""The lab's backup service (images/pgbackrest): pgBackRest repository host, scheduler, exporter.

Subcommands (the entrypoint runs `serve`; the others are run with `docker exec`):
  serve                    render the configuration, run `pgbackrest server` (TLS), the schedule
                           (full weekly, differential daily, to every repository) and the
                           metrics exporter on :9854; with WAL_STREAM=on, stream WAL from the
                           leader with pg_receivewal (the lab's RPO; docs/adr/0302-lab-backups.md)
  now [--type T] [--repo R]  an on-demand backup (T: full|diff|incr, default full; R: 1, 2 or
                           all, default all); prints one JSON line
  info                     pgbackrest info (JSON) plus the leader's archiver statistics
  record-drill             stores a drill result (JSON on stdin) for the exporter
  wal-cutoff NAME          the WAL a restore may use "as of now" (the drill's moment T): the
                           newest archived segment and, when streaming, a copy of the partial one

Secrets are read from files (SECRETS_DIR, default /run/secrets) and copied with mode 0600 into
the tmpfs at /run/pgbackrest; the cipher passphrase goes only into that configuration file,
never into the environment, argv or a log line.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RUN = "/run/pgbackrest"
CONF = f"{RUN}/pgbackrest.conf"
BASE = "/var/lib/pgbackrest"
REPOS = {1: f"{BASE}/repo1", 2: f"{BASE}/repo2"}
STREAM_DIR = f"{BASE}/walstream"
STATE_DIR = f"{REPOS[1]}/dhakacart-state"
SEGMENT = re.compile(r"^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})")


def env(name, default):
    return os.environ.get(name, default)


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        fail(f"{name} must be a whole number, got {raw!r}")
    return int(raw)


STANZA = env("STANZA", "dhakacart")
PG_HOSTS = [h for h in env("PG_HOSTS", "pg1,pg2,pg3").split(",") if h]
PG_PATH = env("PG_PATH", "/var/lib/postgresql/data/pgdata")
PG_PORT = env_int("PG_PORT", 5432)
SECRETS = env("SECRETS_DIR", "/run/secrets")
REPL_USER = env("REPLICATION_USER", "replicator")
FULL_EVERY = env_int("FULL_EVERY_SECONDS", 7 * 86400)
DIFF_EVERY = env_int("DIFF_EVERY_SECONDS", 86400)
TICK = env_int("TICK_SECONDS", 60)
# The service ends after this many ticks (a week at the default tick) and Swarm starts it again:
# no loop here runs unbounded.
MAX_TICKS = env_int("MAX_TICKS", 10080)
SCHEDULE = env("SCHEDULE", "on") == "on"
WAL_STREAM = env("WAL_STREAM", "off") == "on"
# No replication slot by default: a slot would hold WAL on the leader for as long as the stream
# is down (a full disk stops every write), and Patroni drops slots it does not manage. Without
# one, a stream that falls more than wal_keep_size behind misses WAL that the archive
# (archive_timeout 60 s) still has. Set a name to use a slot (it must be in Patroni's
# ignore_slots, as images/patroni configures `backup_stream`).
STREAM_SLOT = env("WAL_STREAM_SLOT", "")
BACKUP_TIMEOUT = env_int("BACKUP_TIMEOUT_SECONDS", 3 * 3600)


def fail(msg, code=2):
    sys.stderr.write(f"dhakacart-backup: {msg}\n")
    sys.exit(code)


def log(msg):
    sys.stderr.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {msg}\n")
    sys.stderr.flush()


def read_secret(name, required=True):
    path = os.path.join(SECRETS, name)
    try:
        with open(path, encoding="utf-8") as f:
            value = f.read().strip()
    except OSError:
        if required:
            fail(f"secret {name} is missing")
        return None
    if not value or "\n" in value:
        fail(f"secret {name} is unusable")
    return value


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def render_config():
    """Writes pgbackrest.conf (0600, tmpfs) and the TLS files; returns nothing secret."""
    if not os.access(RUN, os.W_OK):
        fail(f"{RUN} must be a writable tmpfs")
    cipher = read_secret("backup_cipher_pass")
    if len(cipher) < 20:
        fail("secret backup_cipher_pass is too short (at least 20 characters)")
    tls = {}
    for name in ("backup_tls_ca", "backup_tls_repo_crt", "backup_tls_repo_key"):
        src = os.path.join(SECRETS, name)
        if not os.path.isfile(src):
            fail(f"secret {name} is missing")
        dst = os.path.join(RUN, name)
        with open(src, encoding="utf-8") as f:
            write_private(dst, f.read())
        tls[name] = dst
    repl = read_secret("pg_replication_password", required=False)
    if repl:
        # host:port:db:user:password for psql and pg_receivewal (PGPASSFILE, 0600).
        write_private(f"{RUN}/pgpass", f"*:{PG_PORT}:*:{REPL_USER}:{repl}\n")
    lines = [
        "[global]",
        "log-level-console=warn",
        "log-level-stderr=off",
        "log-level-file=off",
        f"lock-path={RUN}/lock",
        "compress-type=lz4",
        "start-fast=y",
        # A backup waits for the WAL that makes it consistent; after a burst of writes the
        # archive may be minutes behind.
        "archive-timeout=600",
        "process-max=2",
        # A repository host: clients (the Patroni members) authenticate with a certificate
        # whose CN is pgbackrest-client and may use this stanza only.
        "tls-server-address=*",
        f"tls-server-ca-file={tls['backup_tls_ca']}",
        f"tls-server-cert-file={tls['backup_tls_repo_crt']}",
        f"tls-server-key-file={tls['backup_tls_repo_key']}",
        f"tls-server-auth=pgbackrest-client={STANZA}",
    ]
    retention = {1: env_int("REPO1_RETENTION_FULL", 2), 2: env_int("REPO2_RETENTION_FULL", 4)}
    for idx, path in REPOS.items():
        lines += [
            f"repo{idx}-path={path}",
            f"repo{idx}-cipher-type=aes-256-cbc",
            f"repo{idx}-cipher-pass={cipher}",
            f"repo{idx}-retention-full-type=count",
            f"repo{idx}-retention-full={retention[idx]}",
            f"repo{idx}-retention-diff={env_int('RETENTION_DIFF', 7)}",
        ]
    lines += ["", f"[{STANZA}]"]
    for i, host in enumerate(PG_HOSTS, start=1):
        lines += [
            f"pg{i}-host={host}",
            f"pg{i}-host-type=tls",
            f"pg{i}-host-ca-file={tls['backup_tls_ca']}",
            f"pg{i}-host-cert-file={tls['backup_tls_repo_crt']}",
            f"pg{i}-host-key-file={tls['backup_tls_repo_key']}",
            f"pg{i}-host-config={env('PG_HOST_CONFIG', '/run/patroni/pgbackrest.conf')}",
            f"pg{i}-path={PG_PATH}",
            f"pg{i}-port={PG_PORT}",
        ]
    os.makedirs(f"{RUN}/lock", exist_ok=True)
    write_private(CONF, "\n".join(lines) + "\n")


def pgbackrest(args, timeout=600):
    """Runs pgbackrest with the rendered configuration; returns (code, stdout, stderr)."""
    try:
        r = subprocess.run(
            ["pgbackrest", f"--config={CONF}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return 124, "", f"pgbackrest {args[0] if args else ''} timed out after {timeout}s"
    return r.returncode, r.stdout, r.stderr


def last_error_line(text):
    """pgBackRest's own `ERROR: [code]: message` line (not the HINT after it), else the last line."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if "ERROR: [" in l]
    return (errors[-1] if errors else lines[-1]) if lines else "no output"


# ---------------------------------------------------------------- leader and archiver statistics

ARCHIVER_SQL = """
SELECT pg_is_in_recovery(),
       coalesce(extract(epoch FROM last_archived_time), 0),
       coalesce(extract(epoch FROM last_failed_time), 0),
       coalesce(last_archived_wal, ''),
       CASE WHEN pg_is_in_recovery() THEN '' ELSE pg_walfile_name(pg_current_wal_lsn()) END,
       extract(epoch FROM now()),
       extract(epoch FROM pg_postmaster_start_time())
FROM pg_stat_archiver
"""


def psql_host(host, sql, timeout=5):
    envp = dict(os.environ, PGPASSFILE=f"{RUN}/pgpass", PGCONNECT_TIMEOUT="2")
    try:
        r = subprocess.run(
            ["psql", "-X", "-At", "-F", "|", "-h", host, "-p", str(PG_PORT), "-U", REPL_USER,
             "-d", "postgres", "-w", "-c", sql],
            capture_output=True, text=True, timeout=timeout, env=envp,
        )
    except subprocess.TimeoutExpired:
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def segno(name):
    m = SEGMENT.match(name or "")
    return int(m.group(2), 16) * 256 + int(m.group(3), 16) if m else None


def archiver_stats():
    """The leader's pg_stat_archiver, turned into lag figures; None when no leader answers."""
    if not os.path.exists(f"{RUN}/pgpass"):
        return None
    for host in PG_HOSTS:
        out = psql_host(host, ARCHIVER_SQL)
        if not out:
            continue
        f = out.split("|")
        if len(f) < 7 or f[0] != "f":
            continue
        last_ok, last_fail, now, started = float(f[1]), float(f[2]), float(f[5]), float(f[6])
        cur, done = segno(f[4]), segno(f[3])
        pending = max(0, cur - done - 1) if cur is not None and done is not None else (
            0 if cur is None else cur)
        since = last_ok if last_ok > 0 else started
        return {
            "leader": host,
            "lastArchivedAt": last_ok,
            "lastFailedAt": last_fail,
            "failing": 1 if last_fail > last_ok else 0,
            "pendingSegments": pending,
            # How long a completed segment has been waiting (0 when nothing waits).
            "lagSeconds": 0.0 if pending == 0 else max(0.0, now - since),
        }
    return None


# ------------------------------------------------------------------------------ repository state


def info_json():
    code, out, err = pgbackrest(["info", "--output=json", f"--stanza={STANZA}"], timeout=120)
    if code != 0:
        return None, last_error_line(err or out)
    try:
        data = json.loads(out)
    except ValueError:
        return None, "pgbackrest info printed no JSON"
    return (data[0] if data else None), None


def newest_archived(repo_path):
    """(segment name, mtime) of the newest WAL segment in a repository's archive, or None."""
    root = os.path.join(repo_path, "archive", STANZA)
    best = None
    try:
        # "16-2" after "16-1", and "16-10" after "16-9": by the database id, numerically.
        ids = sorted((d for d in os.listdir(root) if re.match(r"^\d+-\d+$", d)),
                     key=lambda d: int(d.split("-")[1]))
    except OSError:
        return None
    for db_id in ids[-1:]:
        base = os.path.join(root, db_id)
        dirs = sorted(d for d in os.listdir(base) if re.match(r"^[0-9A-F]{16}$", d))
        for d in reversed(dirs[-2:]):
            files = [f for f in os.listdir(os.path.join(base, d)) if SEGMENT.match(f)]
            if not files:
                continue
            name = max(files, key=lambda n: (segno(n), n))
            mtime = os.path.getmtime(os.path.join(base, d, name))
            if best is None or segno(name) > segno(best[0]):
                best = (name[:24], mtime)
    return best


def dir_size(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def read_drill():
    try:
        with open(os.path.join(STATE_DIR, "drill.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.info = None
        self.info_error = None
        self.archiver = None
        self.sizes = {}
        self.archived = {}
        self.stream_up = 0
        self.backup_runs = {"ok": 0, "failed": 0}
        self.tick_at = time.time()

    def refresh(self):
        info, err = info_json()
        archiver = archiver_stats()
        sizes = {i: dir_size(p) for i, p in REPOS.items()}
        archived = {i: newest_archived(p) for i, p in REPOS.items()}
        with self.lock:
            self.info, self.info_error = info, err
            self.archiver, self.sizes, self.archived = archiver, sizes, archived
            self.tick_at = time.time()


STATE = State()


def current_databases(info):
    """
    {repo: (database id, system id)} of the database each repository's stanza follows now: the
    highest id pgBackRest has recorded there (stanza-upgrade adds one per new cluster).
    """
    current = {}
    for db in (info or {}).get("db", []):
        repo = db.get("repo-key", 1)
        if repo not in current or db.get("id", 0) > current[repo][0]:
            current[repo] = (db.get("id", 0), str(db.get("system-id")))
    return current


def last_backups(info):
    """
    {(repo, type): stop time} of the newest backup of each type in each repository, of the
    cluster the stanza follows now: after a new cluster is adopted (stanza-upgrade), the earlier
    cluster's backups stay in the repository but protect nothing running, so they neither satisfy
    the schedule nor keep BackupTooOld quiet.
    """
    current = {repo: db_id for repo, (db_id, _sid) in current_databases(info).items()}
    out = {}
    for b in (info or {}).get("backup", []):
        if b.get("error"):
            continue
        database = b.get("database", {})
        repo = database.get("repo-key", 1)
        if "id" in database and repo in current and database["id"] != current[repo]:
            continue
        key = (repo, b.get("type"))
        out[key] = max(out.get(key, 0), b.get("timestamp", {}).get("stop", 0))
    return out


def metrics_text():
    with STATE.lock:
        info, archiver, sizes, archived = STATE.info, STATE.archiver, STATE.sizes, STATE.archived
        info_ok, stream_up, runs = STATE.info_error is None and info is not None, STATE.stream_up, dict(
            STATE.backup_runs)
    now = time.time()
    out = []

    def metric(name, help_, kind, samples):
        out.append(f"# HELP {name} {help_}")
        out.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            lbl = ",".join(f'{k}="{v}"' for k, v in labels.items())
            out.append(f"{name}{{{lbl}}} {value}" if lbl else f"{name} {value}")

    metric("dhakacart_backup_info_ok", "1 when pgbackrest info reads every repository", "gauge",
           [({}, 1 if info_ok else 0)])
    status = {r.get("key"): r.get("status", {}).get("code", 99) for r in (info or {}).get("repo", [])}
    metric("dhakacart_backup_repo_ok", "1 when the repository answers (pgbackrest info status 0)",
           "gauge", [({"repo": str(i)}, 1 if status.get(i) == 0 else 0) for i in REPOS])
    last = last_backups(info)
    metric("dhakacart_backup_last_success_timestamp_seconds",
           "Stop time of the newest good backup, by repository and type", "gauge",
           [({"repo": str(r), "type": t}, v) for (r, t), v in sorted(last.items())])
    metric("dhakacart_backup_repo_size_bytes", "Bytes on disk under each repository", "gauge",
           [({"repo": str(i)}, v) for i, v in sorted(sizes.items())])
    metric("dhakacart_backup_runs_total", "Scheduled and on-demand backups run by this service",
           "counter", [({"result": k}, v) for k, v in sorted(runs.items())])
    metric("dhakacart_wal_archive_newest_timestamp_seconds",
           "Modification time of the newest WAL segment in each repository", "gauge",
           [({"repo": str(i)}, a[1]) for i, a in sorted(archived.items()) if a])
    metric("dhakacart_wal_archive_leader_up", "1 when a leader answered the archiver query",
           "gauge", [({}, 1 if archiver else 0)])
    if archiver:
        metric("dhakacart_wal_archive_failing",
               "1 when the leader's last archive attempt failed (pg_stat_archiver)", "gauge",
               [({"leader": archiver["leader"]}, archiver["failing"])])
        metric("dhakacart_wal_archive_lag_seconds",
               "How long completed WAL has waited to be archived (0 when nothing waits)", "gauge",
               [({"leader": archiver["leader"]}, round(archiver["lagSeconds"], 3))])
        metric("dhakacart_wal_archive_pending_segments",
               "Completed WAL segments on the leader not yet archived", "gauge",
               [({"leader": archiver["leader"]}, archiver["pendingSegments"])])
    if WAL_STREAM:
        metric("dhakacart_wal_stream_up", "1 while pg_receivewal streams from the leader",
               "gauge", [({}, stream_up)])
    drill = read_drill()
    if drill:
        metric("dhakacart_restore_drill_last_timestamp_seconds", "When the last drill finished",
               "gauge", [({}, drill.get("finishedAt", 0))])
        metric("dhakacart_restore_drill_success", "1 when the last drill verified every order",
               "gauge", [({}, 1 if drill.get("ok") else 0)])
        for key, name in (("rtoSeconds", "rto"), ("rpoSeconds", "rpo")):
            if isinstance(drill.get(key), (int, float)):
                metric(f"dhakacart_restore_drill_{name}_seconds", f"The last drill's {name.upper()}",
                       "gauge", [({}, drill[key])])
    metric("dhakacart_backup_state_age_seconds", "Seconds since the state above was refreshed",
           "gauge", [({}, round(now - STATE.tick_at, 3))])
    return "\n".join(out) + "\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        if self.path != "/metrics":
            self.send_response(404)
            self.end_headers()
            return
        body = metrics_text().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


# ----------------------------------------------------------------------------------- operations


def leader_system_id(leader):
    """The leader's database system identifier (pg_control), or None when it does not answer."""
    out = psql_host(leader, "SELECT system_identifier FROM pg_control_system()")
    return out if out and out.isdigit() else None


def stanza_system_ids(info):
    """{repo: system id} of the database each repository's stanza currently belongs to."""
    return {repo: sid for repo, (_id, sid) in current_databases(info).items()}


def adopt_new_cluster(info, system_id):
    """
    Makes the kept repositories follow a new cluster. `npm run lab -- down --volumes` keeps the
    backup repositories (they are what brings a lab back), and the next `up` creates a new
    cluster with a new system id. pgBackRest then refuses its WAL (ArchiveMismatchError): nothing
    is archived and no backup runs. `stanza-upgrade` records the new cluster as the stanza's
    current database and keeps every earlier backup and segment under the old one, so nothing
    is lost; a full backup of the new cluster follows at once, as every restore needs one.
    Returns a summary dict, or None when the repositories already follow `system_id`.
    """
    stale = {r: sid for r, sid in stanza_system_ids(info).items() if sid != system_id}
    if not system_id or not stale:
        return None
    log(f"adopt: the repositories hold the stanza of an earlier cluster ({stale}); "
        f"the running cluster is {system_id}: stanza-upgrade, earlier backups kept")
    code, out, err = pgbackrest([f"--stanza={STANZA}", "stanza-upgrade"], timeout=300)
    if code != 0:
        error = last_error_line(err or out)
        log(f"adopt: stanza-upgrade failed: {error}")
        return {"ok": False, "previous": stale, "error": f"stanza-upgrade failed: {error}"}
    summary = run_backup("full", sorted(REPOS))
    log(f"adopt: full backup of the new cluster {'done' if summary['ok'] else 'FAILED'}")
    return {"ok": summary["ok"], "previous": stale, "backup": summary}


def segment_system_id(path):
    """
    The system id in a WAL segment's first page (XLogLongPageHeaderData.xlp_sysid: 8 bytes,
    little-endian, after the 24-byte short header), or None for a file too short or zero-filled
    there (pg_receivewal pads a new .partial file with zeros before it writes).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(32)
    except OSError:
        return None
    if len(head) < 32:
        return None
    sid = int.from_bytes(head[24:32], "little")
    return str(sid) if sid else None


def set_aside_stream(system_id, stream_dir=None):
    """
    Streamed segments belong to one cluster, and a new cluster's segments start again at the same
    names: left in place, pg_receivewal would resume the new cluster at the old one's position.
    Segments whose first page names another cluster move to `previous-<their system id>/` (kept,
    not deleted: the last of them may not be archived yet). Returns how many moved.
    """
    stream_dir = stream_dir or STREAM_DIR
    moved = 0
    for f in sorted(os.listdir(stream_dir)):
        path = os.path.join(stream_dir, f)
        if not SEGMENT.match(f) or not os.path.isfile(path):
            continue
        other = segment_system_id(path)
        if other is None or other == system_id:
            continue
        target = os.path.join(stream_dir, f"previous-{other}")
        os.makedirs(target, exist_ok=True)
        os.replace(path, os.path.join(target, f))
        moved += 1
    if moved:
        log(f"stream: {moved} segment(s) of an earlier cluster moved to previous-<system id>/")
    return moved


def ensure_stanza():
    code, out, err = pgbackrest([f"--stanza={STANZA}", "stanza-create"], timeout=300)
    if code != 0:
        return last_error_line(err or out)
    return None


def run_backup(kind, repos):
    """Backs up to each repository in turn; returns a summary dict."""
    results = []
    err = ensure_stanza()
    if err:
        return {"ok": False, "type": kind, "error": f"stanza-create failed: {err}", "repos": []}
    for repo in repos:
        started = time.time()
        code, out, err = pgbackrest(
            [f"--stanza={STANZA}", f"--repo={repo}", f"--type={kind}", "backup"],
            timeout=BACKUP_TIMEOUT,
        )
        results.append({"repo": repo, "ok": code == 0, "seconds": round(time.time() - started, 1),
                        **({} if code == 0 else {"error": last_error_line(err or out)})})
    ok = all(r["ok"] for r in results)
    with STATE.lock:
        STATE.backup_runs["ok" if ok else "failed"] += 1
    return {"ok": ok, "type": kind, "repos": results}


def due(info, now):
    """What the schedule wants now for each repository: 'full', 'diff' or None."""
    last = last_backups(info)
    wants = {}
    for repo in REPOS:
        full = last.get((repo, "full"), 0)
        newest = max([v for (r, _t), v in last.items() if r == repo] or [0])
        if now - full >= FULL_EVERY:
            wants[repo] = "full"
        elif now - newest >= DIFF_EVERY:
            wants[repo] = "diff"
    return wants


def prune_stream():
    """Streamed segments are a plain copy: keep each only until repo1 (encrypted) has it."""
    newest = newest_archived(REPOS[1])
    if not newest or not os.path.isdir(STREAM_DIR):
        return
    for f in os.listdir(STREAM_DIR):
        if len(f) == 24 and SEGMENT.match(f) and segno(f) <= segno(newest[0]):
            try:
                os.remove(os.path.join(STREAM_DIR, f))
            except OSError:
                pass


def scheduler_tick():
    STATE.refresh()
    prune_stream()
    if not SCHEDULE:
        return
    with STATE.lock:
        info = STATE.info
        info_error = STATE.info_error
    if info is None and info_error and "missing stanza" not in info_error and "does not exist" not in info_error:
        log(f"schedule: repository unreadable, no backup this tick: {info_error}")
        return
    leader = (STATE.archiver or {}).get("leader")
    if info is not None and leader:
        adopted = adopt_new_cluster(info, leader_system_id(leader))
        if adopted is not None:
            STATE.refresh()
            return
    for repo, kind in sorted(due(info, time.time()).items()):
        log(f"schedule: {kind} backup to repo{repo}")
        summary = run_backup(kind, [repo])
        log(f"schedule: {kind} backup to repo{repo} {'done' if summary['ok'] else 'FAILED'}"
            + ("" if summary["ok"] else f": {summary.get('error') or summary['repos'][-1].get('error')}"))
        STATE.refresh()


def stream_loop(stop):
    """pg_receivewal from whichever member leads, restarted on the new leader after a failover."""
    envp = dict(os.environ, PGPASSFILE=f"{RUN}/pgpass")
    os.makedirs(STREAM_DIR, exist_ok=True)
    for _ in range(100000):
        if stop.is_set():
            return
        leader = (archiver_stats() or {}).get("leader")
        if not leader:
            STATE.stream_up = 0
            stop.wait(2)
            continue
        system_id = leader_system_id(leader)
        if not system_id:
            stop.wait(2)
            continue
        set_aside_stream(system_id)
        base = ["-h", leader, "-p", str(PG_PORT), "-U", REPL_USER, "-w"]
        if STREAM_SLOT:
            base.append(f"--slot={STREAM_SLOT}")
            subprocess.run(["pg_receivewal", *base, "--create-slot", "--if-not-exists"],
                           capture_output=True, text=True, timeout=30, env=envp)
        log(f"stream: pg_receivewal from {leader}")
        proc = subprocess.Popen(
            ["pg_receivewal", *base, "-D", STREAM_DIR, "--no-loop", "--status-interval=1",
             "--synchronous"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=envp,
        )
        STATE.stream_up = 1
        while proc.poll() is None and not stop.is_set():
            stop.wait(1)
        if proc.poll() is None:
            proc.terminate()
        STATE.stream_up = 0
        err = proc.stderr.read() if proc.stderr else ""
        log(f"stream: pg_receivewal ended ({last_error_line(err)}); looking for the leader")
        if "has already been removed" in err:
            # Too far behind (no slot holds WAL for us): start again at the leader's current
            # position; the archive has what the stream missed.
            for f in os.listdir(STREAM_DIR):
                if SEGMENT.match(f):
                    os.remove(os.path.join(STREAM_DIR, f))
            log("stream: the leader no longer has our position; streaming from its current one")
        stop.wait(2)


def serve():
    render_config()
    os.makedirs(STATE_DIR, exist_ok=True)
    server = None
    stop = threading.Event()
    http = ThreadingHTTPServer(("0.0.0.0", env_int("METRICS_PORT", 9854)), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    if WAL_STREAM:
        threading.Thread(target=stream_loop, args=(stop,), daemon=True).start()
    log(f"backup service for stanza {STANZA}: pg hosts {','.join(PG_HOSTS)}, "
        f"full every {FULL_EVERY}s, diff every {DIFF_EVERY}s, schedule {'on' if SCHEDULE else 'off'}, "
        f"WAL streaming {'on' if WAL_STREAM else 'off'}")
    import signal

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for _ in range(MAX_TICKS):
        if server is None or server.poll() is not None:
            if server is not None:
                log(f"pgbackrest server exited ({server.returncode}); starting it again")
            server = subprocess.Popen(["pgbackrest", f"--config={CONF}", "server"])
        try:
            scheduler_tick()
        except Exception as e:  # one bad tick must not end the service
            log(f"schedule: tick failed: {e}")
        if stop.wait(TICK):
            break
    stop.set()
    if server and server.poll() is None:
        server.terminate()
        server.wait(10)
    http.shutdown()


def cmd_now(args):
    kind, repo = "full", "all"
    it = iter(args)
    for a in it:
        if a == "--type":
            kind = next(it, "")
        elif a == "--repo":
            repo = next(it, "")
        else:
            fail(f"unknown option {a}")
    if kind not in ("full", "diff", "incr"):
        fail("--type must be full, diff or incr")
    if repo not in ("1", "2", "all"):
        fail("--repo must be 1, 2 or all")
    repos = sorted(REPOS) if repo == "all" else [int(repo)]
    summary = run_backup(kind, repos)
    print(json.dumps(summary))
    sys.exit(0 if summary["ok"] else 1)


def cmd_info():
    info, err = info_json()
    print(json.dumps({"info": info, "error": err, "archiver": archiver_stats(),
                      "drill": read_drill(), "walStream": WAL_STREAM,
                      "repoSizes": {str(i): dir_size(p) for i, p in REPOS.items()}}))
    sys.exit(0 if info is not None else 3)


def cmd_record_drill():
    try:
        data = json.loads(sys.stdin.read())
    except ValueError:
        fail("record-drill: stdin is not JSON")
    if not isinstance(data, dict) or not isinstance(data.get("ok"), bool):
        fail("record-drill: expected an object with a boolean `ok`")
    data.setdefault("finishedAt", time.time())
    os.makedirs(STATE_DIR, exist_ok=True)
    tmp = os.path.join(STATE_DIR, "drill.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, os.path.join(STATE_DIR, "drill.json"))
    print(json.dumps({"recorded": True}))


def cmd_wal_cutoff(args):
    if len(args) != 1 or not re.match(r"^[a-z0-9-]{1,64}$", args[0]):
        fail("wal-cutoff NAME (lowercase letters, digits and dashes)")
    newest = newest_archived(REPOS[1])
    result = {"archived": newest[0] if newest else None, "partial": None}
    if not os.path.isdir(STREAM_DIR):
        print(json.dumps(result))
        return
    snaps = os.path.join(STREAM_DIR, "cutoff")
    if os.path.isdir(snaps):  # earlier drills' copies, after a day
        for d in os.listdir(snaps):
            if time.time() - os.path.getmtime(os.path.join(snaps, d)) > 86400:
                shutil.rmtree(os.path.join(snaps, d), ignore_errors=True)
    # A partial segment written in the last 30 s means pg_receivewal is streaming (the service's
    # own stream, or one started by hand for a measurement): copy it as it is at this moment.
    partials = sorted(f for f in os.listdir(STREAM_DIR) if f.endswith(".partial")
                      and time.time() - os.path.getmtime(os.path.join(STREAM_DIR, f)) < 30)
    if partials:
        snap = os.path.join(snaps, args[0])
        os.makedirs(snap, exist_ok=True)
        shutil.copyfile(os.path.join(STREAM_DIR, partials[-1]), os.path.join(snap, partials[-1]))
        result["partial"] = f"cutoff/{args[0]}/{partials[-1]}"
    done = sorted(f for f in os.listdir(STREAM_DIR) if SEGMENT.match(f) and len(f) == 24)
    if partials and done and (not result["archived"] or segno(done[-1]) > segno(result["archived"])):
        result["streamed"] = done[-1]
    print(json.dumps(result))


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return
    cmd, rest = argv[0], argv[1:]
    if cmd == "serve":
        serve()
        return
    render_config() if not os.path.exists(CONF) else None
    if cmd == "now":
        cmd_now(rest)
    elif cmd == "info":
        cmd_info()
    elif cmd == "record-drill":
        cmd_record_drill()
    elif cmd == "wal-cutoff":
        cmd_wal_cutoff(rest)
    else:
        fail(f"unknown command {cmd!r} (try --help)")


if __name__ == "__main__":
    main(sys.argv[1:])
