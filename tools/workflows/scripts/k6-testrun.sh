#!/usr/bin/env bash
# k6-testrun.sh NAME SCRIPT PARALLELISM TIMEOUT_SECONDS OUT_DIR
# Creates a TestRun NAME from the peak TestRun the workloads stack defines (the manifest it stores
# in ConfigMap peak-100k-testrun, or the paused TestRun peak-100k of older stacks) running SCRIPT
# (a file of ConfigMap k6-scripts, which the stack publishes from loadtests/generated/k6/) on
# PARALLELISM runners (`all`: the manifest's; tools/workflows/src/k8s/testrun.ts), waits for it to finish, and saves the
# TestRun, the runners' logs and exit codes in OUT_DIR. Exits 0 only if every runner exited 0
# (k6 exits non-zero when a threshold fails), 1 if one did not, 2 if the run never finished.
set -euo pipefail
if [[ $# -ne 5 ]]; then
  echo '{"error":"USAGE","message":"k6-testrun.sh NAME SCRIPT PARALLELISM TIMEOUT_SECONDS OUT_DIR"}' >&2
  exit 2
fi
name=$1 script=$2 parallelism=$3 timeout=$4 out=$5
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
ns=loadtest
mkdir -p "$out"

kubectl -n "$ns" get configmap k6-scripts -o name >/dev/null || {
  echo "::error::ConfigMap $ns/k6-scripts is missing: the workloads stack publishes it"
  exit 2
}
manifest() {
  if kubectl -n "$ns" get configmap peak-100k-testrun -o name >/dev/null 2>&1; then
    kubectl -n "$ns" get configmap peak-100k-testrun -o jsonpath='{.data.testrun\.yaml}'
  else
    kubectl -n "$ns" get testrun peak-100k -o json
  fi
}
args=(--name "$name" --script "$script")
[[ "$parallelism" == all ]] || args+=(--parallelism "$parallelism")
manifest | (cd "$root" && npx --no-install tsx tools/workflows/src/cli.ts render testrun "${args[@]}") \
  >"$out/testrun.json"
kubectl -n "$ns" delete testrun "$name" --ignore-not-found --wait=true >/dev/null
kubectl create -f "$out/testrun.json" >/dev/null

stage=""
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
  stage=$(kubectl -n "$ns" get testrun "$name" -o jsonpath='{.status.stage}' 2>/dev/null || true)
  [[ "$stage" == finished || "$stage" == error ]] && break
  sleep 10
done
kubectl -n "$ns" get testrun "$name" -o yaml >"$out/testrun-status.yaml" 2>/dev/null || true
echo "TestRun $name: stage ${stage:-unknown}"

failed=0 runners=0
for pod in $(kubectl -n "$ns" get pods -l "k6_cr=$name,runner=true" -o name 2>/dev/null); do
  runners=$((runners + 1))
  kubectl -n "$ns" logs "$pod" --tail=-1 >"$out/${pod#pod/}.log" 2>/dev/null || true
  code=$(kubectl -n "$ns" get "$pod" -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')
  echo "${pod#pod/}: exit ${code:-none}" | tee -a "$out/exit-codes.txt"
  [[ "$code" == 0 ]] || failed=$((failed + 1))
done
kubectl -n "$ns" delete testrun "$name" --ignore-not-found --wait=false >/dev/null || true

if [[ "$stage" != finished || $runners -eq 0 ]]; then
  echo "::error::TestRun $name did not finish (stage ${stage:-unknown}, ${runners} runners)"
  exit 2
fi
if ((failed > 0)); then
  echo "::error::$failed of $runners k6 runners failed (a threshold or the script)"
  exit 1
fi
echo "all $runners runners passed their thresholds"
