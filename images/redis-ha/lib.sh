# Shared by the Redis HA start scripts. Environment:
#   REDIS_PASSWORD_FILE  the shared password (requirepass, masterauth, Sentinel auth)
#   REDIS_MASTER_NAME    the name Sentinels monitor (default dhakacart)
#   REDIS_NODES          data nodes, name,name,...: also Swarm service names (DNS)
#   REDIS_INITIAL_PRIMARY the node that leads when nothing else knows better (first start)
#   SENTINELS            host:port,... of the Sentinels
set -euo pipefail
: "${REDIS_PASSWORD_FILE:?REDIS_PASSWORD_FILE must be set}" "${REDIS_NODES:?REDIS_NODES must be set}"
: "${SENTINELS:?SENTINELS must be set}" "${REDIS_INITIAL_PRIMARY:?REDIS_INITIAL_PRIMARY must be set}"
master_name="${REDIS_MASTER_NAME:-dhakacart}"
pw=$(tr -d '\n' <"$REDIS_PASSWORD_FILE")
[[ -n "$pw" && "$pw" != *[[:space:]\"]* ]] || { echo "redis-ha: unusable password in $REDIS_PASSWORD_FILE" >&2; exit 1; }
# redis-cli reads the password from here, never from argv.
export REDISCLI_AUTH="$pw"

cli() { timeout 2 redis-cli --no-auth-warning "$@" 2>/dev/null; }

# Prints the current primary's name: what a Sentinel says, else a data node that reports itself
# as master, else the configured initial primary. Skips $1 (the caller) when asking data nodes,
# since a node restarting after a failover must not trust its own stale role.
find_primary() {
  local skip="${1:-}" s host port out n
  for s in ${SENTINELS//,/ }; do
    host=${s%:*} port=${s##*:}
    out=$(cli -h "$host" -p "$port" SENTINEL get-master-addr-by-name "$master_name" | head -n1) || true
    if [[ -n "$out" ]]; then echo "$out"; return; fi
  done
  for n in ${REDIS_NODES//,/ }; do
    [[ "$n" == "$skip" ]] && continue
    if cli -h "$n" INFO replication | grep -q '^role:master'; then echo "$n"; return; fi
  done
  echo "$REDIS_INITIAL_PRIMARY"
}

# Waits until a Swarm service name resolves (its task is attached to the network).
wait_resolvable() {
  local i
  for i in $(seq 60); do getent hosts "$1" >/dev/null && return 0; sleep 1; done
  echo "redis-ha: $1 does not resolve" >&2
  return 1
}
