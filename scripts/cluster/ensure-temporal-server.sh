#!/usr/bin/env bash
# Prints the folder holding the production Temporal parts, building them once from the Go module
# proxy when absent: the server (frontend, history, matching and worker services, one per process
# with `start --service`), its SQL schema tool, and the Temporal UI server. Cached outside the
# clone like the CLI (scripts/ensure-temporal-cli.sh), so fresh clones and CI reuse the build.
set -euo pipefail

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
TEMPORAL_UI_SERVER_VERSION="${TEMPORAL_UI_SERVER_VERSION:-v2.42.1}"
CACHE_DIR="${JALUR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/jalur}"
TARGET_DIR="$CACHE_DIR/temporal-server-$TEMPORAL_SERVER_VERSION-ui-$TEMPORAL_UI_SERVER_VERSION"

if [[ -x "$TARGET_DIR/temporal-server" && -x "$TARGET_DIR/temporal-sql-tool" && -x "$TARGET_DIR/temporal-ui-server" && -d "$TARGET_DIR/schema" ]]; then
  echo "$TARGET_DIR"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "No Go toolchain to build the Temporal server with" >&2; exit 1; }

echo "Building the Temporal server $TEMPORAL_SERVER_VERSION and UI server $TEMPORAL_UI_SERVER_VERSION from the Go module proxy into $TARGET_DIR." >&2
echo "This happens once per machine and takes about 4 minutes on 2 cores..." >&2
started=$SECONDS
( while sleep 30; do echo "  ... still building ($((SECONDS - started)) s)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
partial="$TARGET_DIR.partial"
rm -rf "$partial"
mkdir -p "$partial/bin"
build() {
  local log
  if ! log=$(GOBIN="$partial/bin" go install "$1" 2>&1); then
    echo "$log" >&2
    echo "Building $1 failed (above)." >&2
    exit 1
  fi
}
# Two of the three main packages are called `server`: each binary is moved to its own name at once.
build "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
mv "$partial/bin/server" "$partial/temporal-server"
build "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
mv "$partial/bin/sql" "$partial/temporal-sql-tool"
build "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_SERVER_VERSION"
mv "$partial/bin/server" "$partial/temporal-ui-server"
rmdir "$partial/bin"
# The PostgreSQL schemas and the development configuration ship in the server's module.
module_dir="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
cp -r "$module_dir/schema/postgresql/v12" "$partial/schema"
chmod -R u+w "$partial/schema"
echo "Temporal server built in $((SECONDS - started)) s." >&2
rm -rf "$TARGET_DIR"
mv "$partial" "$TARGET_DIR"
echo "$TARGET_DIR"
