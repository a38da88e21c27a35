#!/usr/bin/env bash
# Runs the browser end-to-end tests: installs the npm packages if missing, builds `nts`,
# then drives headless Chromium against the real `nts serve`. The exit code is the tests'.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$HERE"
[ -d node_modules/playwright-core ] && [ -d node_modules/pngjs ] || npm ci --no-audit --no-fund
(cd "$ROOT" && cargo build -p nts-cli)
export NTS_BIN="$CARGO_TARGET_DIR/debug/nts"
mkdir -p "$ROOT/artifacts/screenshots"
exec node --test --test-concurrency=1 "$@" browser.test.mjs
