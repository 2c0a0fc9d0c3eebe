#!/usr/bin/env bash
# `npm run bench:rules`: what the SLO rules cost Prometheus, the committed layout beside the one
# before it (ADR 0206, decision 15). Installs what is missing (Prometheus and promtool from
# Debian), then runs the benchmark; the series come from the running lab (`npm run lab` first).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_project_apt
ensure_node_modules
cd "$REPO_ROOT"
run_ts loadtests/src/bench/rule-cost.ts "$@"
