#!/bin/bash
# Restores a backup into THIS container and runs the restored PostgreSQL in the foreground.
# Meant only for a throwaway container (backup/src/isolated-target.ts creates it on a
# throwaway internal network, with the repositories mounted read-only): never a live member.
# The restored server cannot reach or join the live cluster: archive_mode off, no
# primary_conninfo, no synchronous standby, listening only on its Unix socket.
#
# stdin: the repositories' cipher passphrase (one line). Arguments:
#   --repo N            which repository to read (1 or 2; each is mounted at /repoN)
#   --target TIME       point-in-time target (PostgreSQL timestamptz); default: the end of WAL
#   --cutoff SEGMENT    ignore WAL after this segment (the drill's "state of the repository at T")
#   --partial FILE      pg_receivewal's partial segment at T, under /walstream
#   --info              only print `pgbackrest info --output=json` for the repository and exit
# Exit codes: pgBackRest's own when the restore fails (its error on stderr), 64 bad usage,
# 65 no repository or stanza, 66 the key does not decrypt the repository.
set -euo pipefail
stanza="${BACKUP_STANZA:-dhakacart}"
repo=1 target="" cutoff="" partial="" info=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repo) repo="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --cutoff) cutoff="$2"; shift 2 ;;
    --partial) partial="$2"; shift 2 ;;
    --info) info=1; shift ;;
    *) echo "restore-isolated: unknown option $1" >&2; exit 64 ;;
  esac
done
[[ "$repo" =~ ^[12]$ ]] || { echo "restore-isolated: --repo must be 1 or 2" >&2; exit 64; }
[[ -z "$cutoff" || "$cutoff" =~ ^[0-9A-F]{24}$ ]] || { echo "restore-isolated: bad --cutoff" >&2; exit 64; }
[[ -z "$partial" || "$partial" =~ ^[A-Za-z0-9/._-]+$ ]] || { echo "restore-isolated: bad --partial" >&2; exit 64; }
[[ -d "/repo$repo" ]] || { echo "restore-isolated: repository $repo is not mounted at /repo$repo" >&2; exit 65; }
run=/run/restore
mkdir -p "$run/lock"
umask 077
IFS= read -r pass || true
[[ -n "$pass" ]] || { echo "restore-isolated: no passphrase on stdin" >&2; exit 64; }
cat >"$run/pgbackrest.conf" <<CONF
[global]
log-level-console=warn
log-level-stderr=error
log-level-file=off
lock-path=$run/lock
repo$repo-path=/repo$repo
repo$repo-cipher-type=aes-256-cbc
repo$repo-cipher-pass=$pass

[$stanza]
pg1-path=/var/lib/postgresql/restore/pgdata
pg1-socket-path=/run/postgresql
CONF
unset pass
# The key opens the repository when archive.info (or its copy) decrypts to an info file; a wrong
# key yields garbage or a padding error, a corrupt backup.info does not look like this.
key_opens() {
  local f found=""
  for f in "archive/$stanza/archive.info" "archive/$stanza/archive.info.copy"; do
    [[ -f "/repo$repo/$f" ]] || continue
    found=1
    if [[ "$(pgbackrest --config="$run/pgbackrest.conf" --stanza="$stanza" --repo="$repo" repo-get "$f" 2>/dev/null | head -c 10)" == "[backrest]" ]]; then
      return 0
    fi
  done
  if [[ -z "$found" ]]; then
    echo "restore-isolated: repository $repo holds no stanza $stanza (missing or empty)" >&2
    exit 65
  fi
  echo "restore-isolated: the key does not decrypt repository $repo (archive.info)" >&2
  exit 66
}
key_opens
if [[ -n "$info" ]]; then
  exec pgbackrest --config="$run/pgbackrest.conf" --stanza="$stanza" --repo="$repo" info --output=json
fi
printf 'STANZA=%q\nREPO=%q\nCUTOFF=%q\nPARTIAL=%q\n' "$stanza" "$repo" "$cutoff" "$partial" >"$run/wal.env"
args=(--config="$run/pgbackrest.conf" --stanza="$stanza" --repo="$repo" restore
  --archive-mode=off
  "--recovery-option=restore_command=/usr/local/bin/pgbackrest-isolated-wal %f \"%p\"")
if [[ -n "$target" ]]; then
  args+=(--type=time "--target=$target" --target-action=promote)
fi
mkdir -p /var/lib/postgresql/restore
pgbackrest "${args[@]}"
echo "restore-isolated: restored; starting PostgreSQL (isolated)" >&2
pgdata=/var/lib/postgresql/restore/pgdata
# Patroni's postgresql.conf names its hba and ident files by absolute path in the live layout.
exec postgres -D "$pgdata" -c hba_file="$pgdata/pg_hba.conf" -c ident_file="$pgdata/pg_ident.conf" \
  -c listen_addresses='' -c unix_socket_directories=/run/postgresql \
  -c archive_mode=off -c primary_conninfo='' -c primary_slot_name='' \
  -c synchronous_standby_names='' -c hot_standby=off -c cluster_name=isolated-restore \
  -c log_min_messages=warning -c logging_collector=off
