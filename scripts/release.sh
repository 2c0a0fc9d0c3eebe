#!/usr/bin/env bash
# `npm run release`: the lab's release (tools/release). Installs what is missing, then runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
  -h|--help) ;;
  *) ensure_node_modules; ensure_docker; ensure_load_tools ;;
esac
cd "$REPO_ROOT"
run_ts tools/release/src/cli.ts "$@"
