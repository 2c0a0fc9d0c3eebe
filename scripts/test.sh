#!/usr/bin/env bash
# README command 2: the whole test suite. Installs what is missing, then lints, type-checks,
# checks generated files and runs every jest project against real services.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
start=$(date +%s)

bootstrap

step "Lint (eslint) and format (prettier)"
npx --no-install eslint . --max-warnings=0
npx --no-install prettier --check . --log-level=warn

step "Type-check every workspace"
npm run --silent typecheck --workspaces --if-present

step "Workspace checks (generated files, promtool, ...)"
npm run --silent check --workspaces --if-present

step "Tests (jest: unit, integration on real containers, browser)"
export TESTCONTAINERS_RYUK_DISABLED=true
npx --no-install jest --ci --maxWorkers=2 "$@"

info "test suite finished in $(( $(date +%s) - start )) s"
