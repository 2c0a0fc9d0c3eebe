#!/bin/bash
# A Redis Sentinel. SENTINEL_NAME is its service name, announced to its peers (hostnames, not
# container IPs, survive restarts). Its config lives on a tmpfs and is rebuilt at each start from
# what the other Sentinels (or the data nodes) say is the current primary.
source /usr/local/lib/redis-ha.sh
: "${SENTINEL_NAME:?SENTINEL_NAME must be set}"
primary=$(find_primary)
wait_resolvable "$primary"
dir=/run/sentinel
mkdir -p "$dir"
conf="$dir/sentinel.conf"
umask 077
cat >"$conf" <<CONF
port 26379
bind 0.0.0.0
protected-mode no
dir $dir
requirepass "$pw"
sentinel sentinel-pass "$pw"
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $SENTINEL_NAME
sentinel announce-port 26379
sentinel monitor $master_name $primary 6379 ${SENTINEL_QUORUM:-2}
sentinel auth-pass $master_name "$pw"
sentinel down-after-milliseconds $master_name ${SENTINEL_DOWN_AFTER_MS:-3000}
sentinel failover-timeout $master_name ${SENTINEL_FAILOVER_TIMEOUT_MS:-20000}
sentinel parallel-syncs $master_name 1
CONF
echo "redis-ha: sentinel $SENTINEL_NAME monitoring $master_name at $primary"
# TILT: Sentinel stops acting for 30 s when its event loop stalls for more than 2 s, taken as a
# clock jump. Here a stall has a known cause: resolving the name of a member that is down blocks
# for 1 s per try (no answer from Docker's DNS on an internal network, see RES_OPTIONS in the
# stack), and a few such lookups in one loop would otherwise postpone every failover by 30 s.
# The trigger can only be set at run time (SENTINEL DEBUG), so set it once Sentinel listens.
(
  for _ in $(seq 30); do
    sleep 1
    cli -p 26379 SENTINEL DEBUG tilt-trigger "${SENTINEL_TILT_TRIGGER_MS:-10000}" | grep -q OK && exit 0
  done
  echo "redis-ha: could not set the TILT trigger" >&2
) &
exec redis-sentinel "$conf"
