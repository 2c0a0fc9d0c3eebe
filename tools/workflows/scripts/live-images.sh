#!/usr/bin/env bash
# live-images.sh NAMESPACE: the images the api and web Deployments run now (what the workloads
# stack last applied), as `api=<ref>` and `web=<ref>` lines for $GITHUB_OUTPUT. They are the
# rollback target of a release, read before anything changes. The all-zero placeholder of a
# stack that never had a release is printed as `none`.
set -euo pipefail
ns=${1:?namespace}
for d in api web; do
  image=$(kubectl -n "$ns" get deployment "$d" \
    -o jsonpath="{.spec.template.spec.containers[?(@.name==\"$d\")].image}")
  if [[ -z "$image" || "$image" =~ @sha256:0{64}$ ]]; then image=none; fi
  echo "$d=$image"
done
