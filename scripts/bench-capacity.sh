#!/usr/bin/env bash
# `npm run bench:capacity`: the lab's idle cost and serving capacity, beside same-run references.
# Installs what is missing (wrk from Debian, Vegeta through the Go toolchain), then runs the
# benchmark against the running lab (`npm run lab` first). Arguments go to the benchmark.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_project_apt
ensure_node_modules
ensure_go_tool vegeta "$VEGETA_MODULE"
cd "$REPO_ROOT"
run_ts loadtests/src/bench/capacity.ts "$@"
