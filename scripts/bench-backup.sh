#!/usr/bin/env bash
# `npm run bench:backup`: installs what is missing, then runs the backup benchmark (backup/src/bench)
# on a standalone setup: ≥ 1 GB of orders, full backup, WAL shipping cost, restore drills.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_project_apt
ensure_node_modules
ensure_images patroni pgbackrest etcd
cd "$REPO_ROOT" && run_ts backup/src/bench/run.ts "$@"
