#!/usr/bin/env bash
# gate-in-cluster.sh ENV NAME IMAGE [gate flags...]
# Runs the error-budget gate (npm run slo -- gate) INSIDE the cluster, where Prometheus is: the
# slo CLI is bundled into one file, mounted from a ConfigMap into a Job in the monitoring
# namespace (tools/workflows/src/k8s/gate-job.ts) that runs on IMAGE (the release's api image,
# which has Node). Needs kubectl credentials (Connect Gateway). Prints the gate's JSON verdict,
# writes it to $GATE_OUT (default gate-NAME.json) and exits with the gate's code:
# 0 pass, 1 breach, 2 undecidable. Anything that stops the gate from deciding (the Job never
# ran, timed out, no verdict) is 2: the gate fails closed.
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo '{"error":"USAGE","message":"gate-in-cluster.sh ENV NAME IMAGE [gate flags...]"}' >&2
  exit 2
fi
env=$1 name=$2 image=$3
shift 3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
ns=monitoring
out=${GATE_OUT:-gate-${name}.json}
work=$(mktemp -d)
trap 'kubectl -n "$ns" delete configmap "$name" --ignore-not-found >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

(cd "$root" && npx --no-install esbuild slo/src/cli.ts --bundle --minify --platform=node \
  --target=node22 --format=cjs --log-level=warning --outfile="$work/gate.cjs")
kubectl -n "$ns" create configmap "$name" --from-file=gate.cjs="$work/gate.cjs" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
(cd "$root" && npx --no-install tsx tools/workflows/src/cli.ts render gate-job --name "$name" \
  --env "$env" --image "$image" --config-map "$name" -- "$@") >"$work/job.json"
kubectl -n "$ns" delete job "$name" --ignore-not-found --wait=true >/dev/null
kubectl apply -f "$work/job.json" >/dev/null

# The Job's own deadline is 300 s; wait a little longer for the pod to be scheduled and pulled.
code=""
for _ in $(seq 1 "${GATE_WAIT_TRIES:-80}"); do
  code=$(kubectl -n "$ns" get pods -l "job-name=$name" \
    -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}' 2>/dev/null || true)
  [[ -n "$code" ]] && break
  sleep "${GATE_WAIT_INTERVAL:-5}"
done
kubectl -n "$ns" logs "job/$name" --tail=-1 >"$work/log" 2>/dev/null || true
verdict=$(grep -E '^\{.*"verdict"' "$work/log" | tail -n 1 || true)
if [[ -z "$code" || -z "$verdict" ]]; then
  jq -n --arg name "$name" '{verdict:"undecidable", exitCode:2, reasons:["the in-cluster gate Job \($name) gave no verdict"]}' | tee "$out"
  exit 2
fi
echo "$verdict" | tee "$out"
case "$code" in 0 | 1 | 2) exit "$code" ;; *) exit 2 ;; esac
