#!/usr/bin/env bash
# `npm run bench:api`: installs what is missing, then benchmarks one API process.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_project_apt
ensure_node_modules
ensure_images postgres redis
export TESTCONTAINERS_RYUK_DISABLED=true
cd "$REPO_ROOT/app/api" && run_ts bench/run.ts "$@"
