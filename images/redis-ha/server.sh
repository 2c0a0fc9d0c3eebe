#!/bin/bash
# A Redis data node. REDIS_NAME is this node's service name, announced to the primary and the
# Sentinels instead of a container IP (which changes on restart). It joins as a replica of
# whichever node currently leads; Sentinel promotes and re-points nodes after that.
source /usr/local/lib/redis-ha.sh
: "${REDIS_NAME:?REDIS_NAME must be set}"
primary=$(find_primary "$REDIS_NAME")
conf=/data/redis.conf
umask 077
{
  echo "bind 0.0.0.0"
  echo "port 6379"
  echo "protected-mode no"
  echo "appendonly yes"
  echo "maxmemory ${REDIS_MAXMEMORY:-256mb}"
  echo "maxmemory-policy allkeys-lru"
  echo "requirepass \"$pw\""
  echo "masterauth \"$pw\""
  echo "replica-announce-ip $REDIS_NAME"
  echo "replica-read-only yes"
  # A replica that lost its primary keeps serving (stale) cache reads rather than errors.
  echo "replica-serve-stale-data yes"
  if [[ "$primary" != "$REDIS_NAME" ]]; then
    wait_resolvable "$primary"
    echo "replicaof $primary 6379"
  fi
} >"$conf"
echo "redis-ha: starting $REDIS_NAME as $([[ "$primary" == "$REDIS_NAME" ]] && echo primary || echo "replica of $primary")"
exec redis-server "$conf"
