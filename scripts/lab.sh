#!/usr/bin/env bash
# README command 1: the local lab. Installs what is missing, then hands over to the lab CLI.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-up}" in
  -h|--help|status|logs|down) ;;
  *) ensure_project_apt; ensure_node_modules; ensure_docker ;;
esac
cd "$REPO_ROOT"
if [[ "${1:-}" == "--bench" ]]; then shift; run_ts chaos/src/bench-lab.ts "$@"; fi
run_ts infra/lab/src/cli.ts "$@"
