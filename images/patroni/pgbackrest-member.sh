#!/bin/bash
# Sourced by patroni-entrypoint when BACKUP_HOST names the backup service (stack.backup.yml):
# writes this member's pgBackRest configuration and starts its TLS server, and sets
# $archive_params (Patroni `postgresql.parameters` lines) so that whichever member leads
# archives its WAL to the backup service. Without BACKUP_HOST nothing is archived: an
# archive_command with nowhere to go would fill pg_wal.
#   BACKUP_HOST          the backup service's name (its pgBackRest TLS server listens on 8432)
#   PG_ARCHIVE_TIMEOUT   archive_timeout (default 5s: a commit reaches the repository within
#                        about 5 s even when little is written; docs/adr/0302-lab-backups.md)
#   BACKUP_STANZA        default dhakacart
# Each side names the other's configuration file (repoN-host-config, pgN-host-config): both live
# on tmpfs, not at pgBackRest's default path. TLS files come from Swarm secrets (backup_tls_ca, backup_tls_pg_crt, backup_tls_pg_key) and
# are copied 0600 into the tmpfs, because pgBackRest refuses a key others can read.
archive_params=""
if [[ -n "${BACKUP_HOST:-}" ]]; then
  stanza="${BACKUP_STANZA:-dhakacart}"
  for f in backup_tls_ca backup_tls_pg_crt backup_tls_pg_key; do
    [[ -s "/run/secrets/$f" ]] || { echo "patroni-entrypoint: secret $f is missing (BACKUP_HOST is set)" >&2; exit 1; }
    install -m 0600 "/run/secrets/$f" "$conf_dir/$f"
  done
  mkdir -p "$conf_dir/pgbackrest-lock"
  cat >"$conf_dir/pgbackrest.conf" <<CONF
[global]
log-level-console=warn
log-level-stderr=warn
log-level-file=off
lock-path=$conf_dir/pgbackrest-lock
compress-type=lz4
repo1-host=$BACKUP_HOST
repo1-host-type=tls
repo1-host-ca-file=$conf_dir/backup_tls_ca
repo1-host-cert-file=$conf_dir/backup_tls_pg_crt
repo1-host-key-file=$conf_dir/backup_tls_pg_key
repo1-host-config=/run/pgbackrest/pgbackrest.conf
repo2-host=$BACKUP_HOST
repo2-host-type=tls
repo2-host-ca-file=$conf_dir/backup_tls_ca
repo2-host-cert-file=$conf_dir/backup_tls_pg_crt
repo2-host-key-file=$conf_dir/backup_tls_pg_key
repo2-host-config=/run/pgbackrest/pgbackrest.conf
tls-server-address=*
tls-server-ca-file=$conf_dir/backup_tls_ca
tls-server-cert-file=$conf_dir/backup_tls_pg_crt
tls-server-key-file=$conf_dir/backup_tls_pg_key
tls-server-auth=pgbackrest-repo=$stanza

[$stanza]
pg1-path=/var/lib/postgresql/data/pgdata
pg1-socket-path=/run/postgresql
pg1-port=5432
CONF
  # The backup service reads this member's files through pgBackRest's TLS server. A bounded
  # supervisor: Swarm restarts the whole member if the server keeps dying.
  (
    for _ in $(seq 1000); do
      pgbackrest --config="$conf_dir/pgbackrest.conf" server || true
      sleep 2
    done
  ) &
  archive_params="
    archive_mode: 'on'
    archive_command: 'pgbackrest-archive-push $conf_dir/pgbackrest.conf $stanza \"%p\"'
    archive_timeout: ${PG_ARCHIVE_TIMEOUT:-5s}"
fi
