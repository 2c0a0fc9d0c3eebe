#!/usr/bin/env bash
# README command 2: the whole test suite. Installs what is missing, then lints, type-checks,
# checks generated files, runs unit and integration tests (real PostgreSQL/Redis containers),
# brings up the lab and runs the lab's failure tests and the browser journeys against it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
start=$(date +%s)
export TESTCONTAINERS_RYUK_DISABLED=true

bootstrap

step "Lint (eslint) and format (prettier)"
npx --no-install eslint . --max-warnings=0
npx --no-install prettier --check . --log-level=warn

step "Secret scan (gitleaks): the working tree and the git history"
ensure_security_tools
ensure_load_tools  # Vegeta and Artillery: the load smoke, the game day and the release test drive them
npm run --silent secrets -w @dhakacart/security -- repo

step "Type-check every workspace"
npm run --silent typecheck --workspaces --if-present

step "Workspace checks (generated files are regenerated and diffed, promtool, budgets)"
npm run --silent check --workspaces --if-present

# Tests that need the running lab (*.lab.test.ts, and the browser journeys) run after it is up,
# one at a time, so they never disturb each other.
LAB_TESTS=('\.lab\.test\.ts$' 'app/web/e2e/')

# A lab left from an earlier run (or restored by an engine restart, which restarts all of its
# two dozen services at once) would compete with part 1 for the two cores and make its
# concurrency tests time out. Stop it, keeping its data; part 2 deploys it again.
if docker stack ls --format '{{.Name}}' 2>/dev/null | grep -qx dhakacart; then
  step "Stopping the running lab while part 1 runs (its data is kept; part 2 brings it back)"
  node --import tsx infra/lab/src/cli.ts down
fi

step "Tests, part 1: unit and integration (jest, real containers)"
npx --no-install jest --ci --maxWorkers=2 --testPathIgnorePatterns '/node_modules/' "${LAB_TESTS[@]}"

step "Bringing up the lab for the end-to-end tests"
bash scripts/lab.sh up

step "Tests, part 2: the lab under failures, and the storefront in Chromium through the TLS edge"
# Journey 7 stops the api with --detach (the test watches it go) and starts it without: the
# command returns once Swarm has the three replicas running and healthy, so the next test finds
# the whole api, not its first replica alone (its progress bars go to /dev/null; errors still show).
E2E_BASE_URL=https://localhost:8443 \
  E2E_CA_CERT="$REPO_ROOT/.lab/ca/ca.crt" \
  E2E_ADMIN_CREDENTIALS_FILE="$REPO_ROOT/.lab/admin.json" \
  E2E_API_STOP_CMD="docker service scale --detach dhakacart_api=0" \
  E2E_API_START_CMD="docker service scale dhakacart_api=3 >/dev/null" \
  E2E_REQUIRED=1 \
  npx --no-install jest --ci --runInBand "${LAB_TESTS[@]}"

info "test suite finished in $(($(date +%s) - start)) s"
