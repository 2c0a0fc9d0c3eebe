#!/bin/bash
# Initialises the cluster on first start from POSTGRES_{USER,DB,PASSWORD_FILE}, then runs postgres.
# The password is read from a file so that it never sits in the environment or the image.
set -euo pipefail
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=postgres}"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  [[ -r "${POSTGRES_PASSWORD_FILE:-}" ]] || { echo "POSTGRES_PASSWORD_FILE must name a readable file" >&2; exit 1; }
  pwfile=$(mktemp)
  tr -d '\n' <"$POSTGRES_PASSWORD_FILE" >"$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  {
    echo "listen_addresses = '*'"
    echo "max_connections = ${POSTGRES_MAX_CONNECTIONS:-200}"
    echo "shared_buffers = ${POSTGRES_SHARED_BUFFERS:-256MB}"
    echo "log_min_duration_statement = 500"
  } >>"$PGDATA/postgresql.conf"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [[ "$POSTGRES_DB" != "postgres" ]]; then
    postgres --single -D "$PGDATA" postgres <<<"CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";" >/dev/null
  fi
  echo "initialised database $POSTGRES_DB"
fi
exec postgres -D "$PGDATA" "$@"
