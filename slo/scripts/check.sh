#!/usr/bin/env bash
# Non-jest checks for the slo workspace (run by scripts/test.sh via `npm run check`):
# generated files (rules, dashboards, Alertmanager config) must match their sources, the rules
# must pass promtool check/test, and the Alertmanager config amtool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "slo: regenerating rules (lab and gke renderings of the one spec) and diffing against the committed copies"
npx --no-install tsx src/cli.ts generate --in specs --out generated/slo-rules.yaml --platform lab >/dev/null
npx --no-install tsx src/cli.ts generate --in specs --out generated/slo-rules.gke.yaml --platform gke >/dev/null
git diff --exit-code -- generated/ || { echo "slo/generated is stale: run npm run slo -- generate (--platform lab and gke) and commit" >&2; exit 1; }

echo "slo: regenerating Grafana dashboards and diffing against the committed JSON"
npx --no-install tsx dashboards/src/generate.ts >/dev/null
git diff --exit-code -- dashboards/generated/ || { echo "slo/dashboards/generated is stale: run npx tsx slo/dashboards/src/generate.ts and commit" >&2; exit 1; }
untracked=$(git ls-files --others --exclude-standard -- generated/ dashboards/generated/ alertmanager/generated/)
[[ -z "$untracked" ]] || { echo "generated files not committed: $untracked" >&2; exit 1; }

echo "slo: promtool check rules"
promtool check rules generated/slo-rules.yaml generated/slo-rules.gke.yaml rules/*.yaml

echo "slo: promtool test rules"
promtool test rules tests/promtool/*.yaml

echo "slo: regenerating the Alertmanager config and checking it with amtool"
npx --no-install tsx src/alertmanager/render.ts >/dev/null
git diff --exit-code -- alertmanager/generated/ || { echo "slo/alertmanager/generated is stale: run npx tsx slo/src/alertmanager/render.ts and commit" >&2; exit 1; }
amtool check-config alertmanager/generated/alertmanager.yml
# (amtool warns on stderr that --config.file overrides --alertmanager.url; harmless.)
route_of() { amtool config routes test --config.file=alertmanager/generated/alertmanager.yml "$@" 2>/dev/null; }
[[ "$(route_of severity=page alertname=X)" == "page-chat-and-sms" ]] || { echo "pages must route to page-chat-and-sms" >&2; exit 1; }
[[ "$(route_of severity=ticket alertname=X)" == "ticket-email" ]] || { echo "tickets must route to ticket-email" >&2; exit 1; }
[[ "$(route_of alertname=X)" == "ticket-email" ]] || { echo "alerts without severity must still reach ticket-email" >&2; exit 1; }
[[ "$(route_of alertname=DhakaCartRelease event=promoted)" == "release-announcements" ]] || { echo "release announcements must route to release-announcements" >&2; exit 1; }
