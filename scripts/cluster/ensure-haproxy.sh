#!/usr/bin/env bash
# Prints the path of HAProxy, the cluster topology's load balancer, installing it from the
# distribution's packages when absent (Debian and Ubuntu: apt; the package registry is the only
# place it comes from, nothing is downloaded at run time). Installing takes root, as the
# topology's network namespaces do.
set -euo pipefail

if command -v haproxy >/dev/null 2>&1; then command -v haproxy; exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "HAProxy is not installed and this system has no apt-get: install haproxy (2.x) with its package manager." >&2
  exit 1
fi
echo "Installing HAProxy from the distribution's packages (once)..." >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
# The package's own service is not what the topology runs: its HAProxy is started per cluster.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now haproxy >/dev/null 2>&1 || true; fi
command -v haproxy
