#!/usr/bin/env bash
# `npm run load -- <scenario>`: load on the lab. Installs what is missing (the npm dependencies,
# Vegeta through the Go toolchain, Artillery pinned apart from the workspaces), then runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
case "${1:-}" in
  ""|-h|--help|list|render) ;;
  *) ensure_node_modules; ensure_load_tools ;;
esac
cd "$REPO_ROOT"
run_ts loadtests/src/cli.ts "$@"
