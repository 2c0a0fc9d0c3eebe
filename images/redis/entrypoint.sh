#!/bin/bash
# Starts redis-server with a generated config; the password is read from REDIS_PASSWORD_FILE.
set -euo pipefail
conf=/data/redis.conf
{
  echo "bind 0.0.0.0"
  echo "port ${REDIS_PORT:-6379}"
  echo "protected-mode no"
  echo "appendonly yes"
  echo "maxmemory ${REDIS_MAXMEMORY:-256mb}"
  echo "maxmemory-policy allkeys-lru"
  if [[ -n "${REDIS_PASSWORD_FILE:-}" ]]; then
    pw=$(tr -d '\n' <"$REDIS_PASSWORD_FILE")
    echo "requirepass $pw"
    echo "masterauth $pw"
  fi
} >"$conf"
chmod 600 "$conf"
exec redis-server "$conf" "$@"
