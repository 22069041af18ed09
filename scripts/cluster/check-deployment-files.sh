#!/usr/bin/env bash
# `npm run check:deploy`: checks the deployment files offline, as far as anything here can.
# Helm (built once from the Go module proxy into the cache, like the Temporal CLI) lints and
# renders deploy/helm/jalur and the official Temporal chart with deploy/helm/temporal-values.yaml
# (the chart from TEMPORAL_HELM_CHART_DIR, a checkout of github.com/temporalio/helm-charts'
# charts/temporal at 1.6.0, when set); compose-go, the library Docker Compose loads files with
# (scripts/cluster/compose-check), validates the Compose file against
# the Compose specification and its references (scripts/cluster/ensure-compose-check.sh); HAProxy checks the Compose file's balancer
# configuration.
# test/unit/scripts/deployment-files.test.ts checks the variables they set against the configuration.
set -euo pipefail
cd "$(dirname "$0")/../.."

HELM_VERSION="${HELM_VERSION:-v4.3.2}"
CACHE_DIR="${JALUR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/jalur}"
HELM="$CACHE_DIR/helm-$HELM_VERSION/helm"
if [[ ! -x "$HELM" ]]; then
  echo "Building Helm $HELM_VERSION from the Go module proxy into $(dirname "$HELM") (once, about 4 minutes)..." >&2
  GOBIN="$(dirname "$HELM")" go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
fi

echo "== helm lint deploy/helm/jalur"
"$HELM" lint deploy/helm/jalur
echo "== helm template deploy/helm/jalur (ingress on)"
"$HELM" template jalur deploy/helm/jalur --set api.ingress.enabled=true | grep '^kind:' | sort | uniq -c

if [[ -n "${TEMPORAL_HELM_CHART_DIR:-}" ]]; then
  echo "== helm template $TEMPORAL_HELM_CHART_DIR -f deploy/helm/temporal-values.yaml"
  "$HELM" lint "$TEMPORAL_HELM_CHART_DIR" -f deploy/helm/temporal-values.yaml
  "$HELM" template temporal "$TEMPORAL_HELM_CHART_DIR" -f deploy/helm/temporal-values.yaml --namespace temporal | grep -E '^kind:|image:' | sort | uniq -c
else
  echo "== the Temporal chart: skipped (set TEMPORAL_HELM_CHART_DIR to a checkout of temporalio/helm-charts' charts/temporal)"
fi

echo "== compose-check deploy/compose/docker-compose.yml"
"$(bash scripts/cluster/ensure-compose-check.sh)" deploy/compose/docker-compose.yml

echo "== haproxy -c deploy/compose/haproxy.cfg"
haproxy="$(bash scripts/cluster/ensure-haproxy.sh)"
"$haproxy" -c -f deploy/compose/haproxy.cfg
