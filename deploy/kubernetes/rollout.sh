#!/usr/bin/env bash
# Deploys Lien in the order that keeps the running version serving until the new one is proven:
#   1. the configuration and the migration Job, waited for: a failed migration stops here, nothing else changes;
#   2. everything else (API, worker, console...), then each Deployment's rollout is waited for.
# Usage: deploy/kubernetes/rollout.sh [overlay dir, default overlays/production] (kubectl's current context).
set -euo pipefail
cd "$(dirname "$0")"
overlay="${1:-overlays/production}"
namespace="$(kubectl kustomize "$overlay" | awk '/^kind: Namespace$/ {ns = 1} ns && /^  name: / {print $2; exit}')"
namespace="${namespace:-lien}"
timeout_seconds="${MIGRATION_TIMEOUT_SECONDS:-1800}"

# A Job's pod template is immutable: the previous run goes before the new one is applied.
kubectl -n "$namespace" delete job lien-migrate --ignore-not-found --wait=true
kubectl apply -k "$overlay" -l 'app.kubernetes.io/component in (config, migrate)'

echo "rollout: waiting for the migration Job (at most ${timeout_seconds} s)"
deadline=$(($(date +%s) + timeout_seconds))
while :; do
  succeeded="$(kubectl -n "$namespace" get job lien-migrate -o jsonpath='{.status.succeeded}')"
  failed="$(kubectl -n "$namespace" get job lien-migrate \
    -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')"
  if [ "${succeeded:-0}" -ge 1 ]; then break; fi
  if [ "$failed" = "True" ] || [ "$(date +%s)" -ge "$deadline" ]; then
    echo "rollout: the migration failed; the running version was left untouched. Its log:" >&2
    kubectl -n "$namespace" logs job/lien-migrate --tail=50 >&2 || true
    exit 1
  fi
  sleep 5
done
kubectl -n "$namespace" logs job/lien-migrate --tail=5 || true

kubectl apply -k "$overlay"
for deployment in lien-api lien-worker lien-console; do
  kubectl -n "$namespace" rollout status "deployment/$deployment" --timeout=15m
done
echo "rollout: done"
