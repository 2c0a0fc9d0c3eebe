#!/usr/bin/env bash
# Non-jest checks for the slo workspace (run by scripts/test.sh via `npm run check`):
# generated files must match their sources, and the rules must pass promtool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "slo: regenerating rules and diffing against the committed copy"
npx --no-install tsx src/cli.ts generate --in specs --out generated/slo-rules.yaml >/dev/null
git diff --exit-code -- generated/ || { echo "slo/generated is stale: run npm run slo -- generate and commit" >&2; exit 1; }

echo "slo: promtool check rules"
promtool check rules generated/slo-rules.yaml rules/*.yaml

echo "slo: promtool test rules"
promtool test rules tests/promtool/*.yaml
