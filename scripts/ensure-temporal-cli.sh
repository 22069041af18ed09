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

echo "Building the Temporal CLI $TEMPORAL_CLI_VERSION from the Go module proxy into $TARGET_DIR." >&2
echo "This happens once per machine and takes about 3 minutes on 2 cores (downloading modules, then compiling)..." >&2
started=$SECONDS
( while sleep 30; do echo "  ... still building ($((SECONDS - started)) s)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# Go's own progress is one line per module downloaded: kept out of the way unless the build fails.
if ! build_log=$(GOBIN="$TARGET_DIR.partial" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" 2>&1); then
  echo "$build_log" >&2
  echo "The Temporal CLI build failed (above). Set TEMPORAL_CLI to a temporal binary, or put one on PATH." >&2
  exit 1
fi
echo "Temporal CLI built in $((SECONDS - started)) s." >&2
mkdir -p "$TARGET_DIR"
mv "$TARGET_DIR.partial/temporal" "$TARGET_DIR/temporal"
rmdir "$TARGET_DIR.partial" 2>/dev/null || true
echo "$TARGET_DIR/temporal"
