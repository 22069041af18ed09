#!/usr/bin/env bash
# Prints the path of compose-check (scripts/cluster/compose-check): the Compose file loaded and
# validated by compose-go, the library Docker Compose itself loads files with. Built once from the
# Go module proxy into the cache, under a folder named by a hash of its source, so that a changed
# check is built again and fresh clones and CI reuse the build.
set -euo pipefail
cd "$(dirname "$0")/compose-check"

CACHE_DIR="${JALUR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/jalur}"
hash="$(cat go.mod go.sum main.go | sha256sum | cut -c1-12)"
target="$CACHE_DIR/compose-check-$hash/compose-check"
if [[ ! -x "$target" ]]; then
  command -v go >/dev/null 2>&1 || { echo "No Go toolchain to build compose-check with" >&2; exit 1; }
  echo "Building compose-check (compose-go) from the Go module proxy into $(dirname "$target") (once, under a minute)..." >&2
  mkdir -p "$(dirname "$target")"
  go build -buildvcs=false -o "$target.partial" . >&2
  mv "$target.partial" "$target"
fi
echo "$target"
