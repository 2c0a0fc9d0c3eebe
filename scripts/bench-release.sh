#!/usr/bin/env bash
# `npm run bench:release`: a good release and the drill on the running lab, side by side in one
# run (tools/release/src/bench.ts). Installs what is missing, as `npm run release` does.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
  -h|--help) ;;
  *) ensure_node_modules; ensure_docker; ensure_load_tools ;;
esac
cd "$REPO_ROOT"
run_ts tools/release/src/bench.ts "$@"
