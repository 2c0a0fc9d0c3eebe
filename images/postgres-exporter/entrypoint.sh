#!/bin/sh
# prometheus-postgres-exporter 0.11 takes several servers only as DATA_SOURCE_NAME, a list of
# URLs that carry the password. Build it here from the member list and the Swarm secret file, in
# this process's environment only: never in the service definition, the image, argv or logs.
#   PG_MEMBERS        host:port,host:port,...  (every Patroni member, primary or replica)
#   PG_DATABASE, PG_USER, PG_PASSWORD_FILE
set -eu
pw="$(cat "$PG_PASSWORD_FILE")"
case "$pw" in
  *[!A-Za-z0-9._~-]*) echo "postgres-exporter: the password must be URL-safe (base64url)" >&2; exit 64 ;;
esac
dsn=""
for member in $(echo "$PG_MEMBERS" | tr ',' ' '); do
  dsn="${dsn:+$dsn,}postgresql://${PG_USER}:${pw}@${member}/${PG_DATABASE}?sslmode=disable"
done
DATA_SOURCE_NAME="$dsn"
export DATA_SOURCE_NAME
exec /usr/bin/prometheus-postgres-exporter "$@"
