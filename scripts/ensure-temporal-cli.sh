#!/usr/bin/env bash
# Prints the path of a Temporal CLI binary, building it once from the Go module proxy when
# none is available. The build is cached outside the clone so fresh clones and CI reuse it.
set -euo pipefail
# v1.5.1 is the newest release that `go install` accepts: later ones carry a replace directive.

TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
CACHE_DIR="${JALUR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/jalur}"
TARGET_DIR="$CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION"

if [[ -n "${TEMPORAL_CLI:-}" ]]; then
  [[ -x "$TEMPORAL_CLI" ]] || { echo "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  command -v temporal; exit 0
fi
if [[ -x "$TARGET_DIR/temporal" ]]; then
  echo "$TARGET_DIR/temporal"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "No temporal binary and no Go toolchain to build one" >&2; exit 1; }

echo "Building the Temporal CLI $TEMPORAL_CLI_VERSION from the Go module proxy (first run only, takes a few minutes)..." >&2
GOBIN="$TARGET_DIR.partial" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
mkdir -p "$TARGET_DIR"
mv "$TARGET_DIR.partial/temporal" "$TARGET_DIR/temporal"
rmdir "$TARGET_DIR.partial" 2>/dev/null || true
echo "$TARGET_DIR/temporal"
