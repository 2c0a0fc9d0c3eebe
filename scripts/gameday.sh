#!/usr/bin/env bash
# README command 1: the game day on the lab. Installs what is missing (Debian packages, the npm
# dependencies, the Docker engine, the load generators), then runs the catalogue; the lab is
# brought up (`npm run lab`) when it is not.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
  -h|--help|--list) ;;
  *) ensure_project_apt; ensure_node_modules; ensure_docker; ensure_load_tools ;;
esac
cd "$REPO_ROOT"
run_ts chaos/src/gameday/cli.ts "$@"
