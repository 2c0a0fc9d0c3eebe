#!/bin/sh
# The exporter's own REDIS_PASSWORD_FILE expects a JSON map of URIs to passwords; the lab's Swarm
# secret is the bare password. Hand it over in this process's environment only: it never appears
# in the service definition, the image, argv (ps) or the logs.
set -eu
if [ -n "${REDIS_AUTH_FILE:-}" ]; then
  REDIS_PASSWORD="$(cat "$REDIS_AUTH_FILE")"
  export REDIS_PASSWORD
fi
exec /usr/bin/prometheus-redis-exporter "$@"
