#!/usr/bin/env bash
# Non-jest checks of the loadtests workspace (run by `npm test` via `npm run check`): the
# thresholds and the k6 scripts are regenerated from slo/specs and the scenario definitions and
# must match the committed copies, and the k6 scripts must type-check against @types/k6.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "loadtests: regenerating thresholds and k6 scripts and diffing against the committed copies"
npx --no-install tsx src/render/generate.ts 2>/dev/null
git diff --exit-code -- generated/ || { echo "loadtests/generated is stale: run npm run --silent load -- render and commit" >&2; exit 1; }
untracked=$(git ls-files --others --exclude-standard -- generated/)
[[ -z "$untracked" ]] || { echo "generated files not committed: $untracked" >&2; exit 1; }
echo "loadtests: type-checking the k6 scripts against @types/k6"
npx --no-install tsc -p tsconfig.k6.json
