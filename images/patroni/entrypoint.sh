#!/bin/bash
# Writes this member's Patroni configuration (passwords read from Swarm secret files into a
# 0600 file on a tmpfs, never the environment) and runs Patroni.
#   PATRONI_NAME   this member's name, also its Swarm service name (DNS): other members and the
#                  router reach it by name because a restarted task gets a new address.
#   ETCD_HOSTS     host:port,... of the etcd members.
set -euo pipefail
: "${PATRONI_NAME:?PATRONI_NAME must be set}" "${ETCD_HOSTS:?ETCD_HOSTS must be set}"
scope="${PATRONI_SCOPE:-dhakacart}"
secret() {
  local f="/run/secrets/$1" v
  [[ -r "$f" ]] || { echo "patroni-entrypoint: secret $1 is missing" >&2; exit 1; }
  v=$(tr -d '\n' <"$f")
  # Values are written between single quotes in YAML.
  [[ -n "$v" && "$v" != *"'"* ]] || { echo "patroni-entrypoint: secret $1 is unusable" >&2; exit 1; }
  printf '%s' "$v"
}
su_pw=$(secret pg_superuser_password)
repl_pw=$(secret pg_replication_password)
api_pw=$(secret patroni_api_password)

conf_dir=/run/patroni
mkdir -p "$conf_dir" 2>/dev/null || true
[[ -w "$conf_dir" ]] || { echo "patroni-entrypoint: $conf_dir must be a writable tmpfs" >&2; exit 1; }
umask 077
# shellcheck source=pgbackrest-member.sh
source /usr/local/bin/pgbackrest-member
cat >"$conf_dir/patroni.yml" <<YAML
scope: $scope
namespace: /service/
name: $PATRONI_NAME
log:
  level: ${PATRONI_LOG_LEVEL:-INFO}
  # The routers' health checks close a connection as soon as they have the status line (at once
  # for a 503, which two of three members answer every second), while Patroni still writes the
  # body; the REST API logs each reset as a 30-line WARNING traceback: 50 lines a second across
  # the members, most of the idle lab's log volume. Its errors are still logged.
  loggers:
    patroni.api: ERROR
restapi:
  listen: 0.0.0.0:8008
  connect_address: $PATRONI_NAME:8008
  # Unsafe endpoints (switchover, restart, reinitialize) need these; GET /primary and
  # /metrics stay open for the router and Prometheus on the internal networks.
  authentication:
    username: patroni
    password: '$api_pw'
ctl:
  # patronictl inside the container uses the same credentials.
  authentication:
    username: patroni
    password: '$api_pw'
etcd3:
  hosts: $ETCD_HOSTS
bootstrap:
  dcs:
    # A dead leader's key expires after ttl; loop_wait + 2 * retry_timeout must stay <= ttl.
    ttl: ${PATRONI_TTL:-15}
    loop_wait: ${PATRONI_LOOP_WAIT:-2}
    retry_timeout: ${PATRONI_RETRY_TIMEOUT:-5}
    maximum_lag_on_failover: 1048576
    # A commit is acknowledged only once a standby has it, and only that synchronous standby
    # may be promoted: a failover loses no acknowledged transaction. Strict: with no standby
    # left, writes wait rather than silently becoming unreplicated.
    synchronous_mode: true
    synchronous_mode_strict: ${PATRONI_SYNC_STRICT:-true}
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 200
        shared_buffers: ${PG_SHARED_BUFFERS:-64MB}
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 128MB
        synchronous_commit: 'on'
        password_encryption: scram-sha-256
        log_min_duration_statement: 500
    # pg_receivewal's slot (images/pgbackrest, WAL streaming): created and followed by the
    # backup service, so Patroni must not drop it as unknown.
    ignore_slots:
      - { name: backup_stream, type: physical }
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
  post_bootstrap: /usr/local/bin/patroni-post-bootstrap
postgresql:
  listen: 0.0.0.0:5432
  connect_address: $PATRONI_NAME:5432
  data_dir: /var/lib/postgresql/data/pgdata
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: $conf_dir/pgpass
  # A member that cannot be rewound onto the new leader's timeline (its WAL is gone, or the
  # rewind failed half-way) clones itself again from the leader instead of staying down until
  # an operator runs `patronictl reinit`. Only a standby's copy is discarded: in synchronous
  # mode every acknowledged commit is on the leader.
  remove_data_directory_on_rewind_failure: true
  remove_data_directory_on_diverged_timelines: true
  authentication:
    superuser:
      username: postgres
      password: '$su_pw'
    replication:
      username: replicator
      password: '$repl_pw'
    rewind:
      username: postgres
      password: '$su_pw'
  parameters:
    unix_socket_directories: /run/postgresql$archive_params
  pg_hba:
    - local all all peer
    - host replication replicator 0.0.0.0/0 scram-sha-256
    - host all all 0.0.0.0/0 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
YAML
exec patroni "$conf_dir/patroni.yml"
