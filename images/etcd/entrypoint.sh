#!/bin/bash
# Starts one member of a static etcd cluster. MEMBER_NAME is this member's name, which is also
# its Swarm service name (DNS), and CLUSTER_MEMBERS lists every member's name (not ETCD_*: etcd
# reads those variables itself and refuses flags that shadow them). Peers are addressed by
# name, not IP, because a restarted task gets a new address.
set -euo pipefail
: "${MEMBER_NAME:?MEMBER_NAME must be set}" "${CLUSTER_MEMBERS:?CLUSTER_MEMBERS must be set (name,name,...)}"
cluster=""
for m in ${CLUSTER_MEMBERS//,/ }; do cluster+="${cluster:+,}$m=http://$m:2380"; done
# Go's runtime would size itself for every host CPU; the lab shares two cores.
export GOMAXPROCS="${GOMAXPROCS:-1}"
# No client authentication: etcd is reachable only on the internal data network and holds no
# secret (Patroni keeps only cluster state there).
exec etcd \
  --name "$MEMBER_NAME" \
  --data-dir /var/lib/etcd/data \
  --listen-client-urls http://0.0.0.0:2379 \
  --advertise-client-urls "http://$MEMBER_NAME:2379" \
  --listen-peer-urls http://0.0.0.0:2380 \
  --initial-advertise-peer-urls "http://$MEMBER_NAME:2380" \
  --initial-cluster "$cluster" \
  --initial-cluster-state new \
  --initial-cluster-token "${CLUSTER_TOKEN:-dhakacart-lab}" \
  --heartbeat-interval 200 \
  --election-timeout 2000 \
  --quota-backend-bytes $((256 * 1024 * 1024)) \
  --auto-compaction-mode periodic --auto-compaction-retention 1h \
  --snapshot-count 10000 \
  --logger zap --log-level warn \
  "$@"
