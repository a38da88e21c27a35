#!/usr/bin/env bash
# Smoke test of the real desktop window under Xvfb: builds nts-atlas, starts
# WebKitWebDriver (TAURI_WEBVIEW_AUTOMATION=true, or the session request hangs), and runs
# tauri.test.mjs against a fresh temp library that the app builds from corpus/.
# UPDATE_DOCS=1 also copies the screenshot to docs/screenshots/app.png.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ -z "${NTS_SMOKE_INNER:-}" ]; then
  cd "$HERE"
  [ -d node_modules/pngjs ] || npm ci --no-audit --no-fund
  (cd "$ROOT" && cargo build -p nts-atlas-app)
  mkdir -p "$ROOT/artifacts/screenshots" "$ROOT/docs/screenshots"
  export NTS_SMOKE_INNER=1
  exec xvfb-run -a -s "-screen 0 1400x900x24" "$HERE/$(basename "$0")" "$@"
fi

APP="$CARGO_TARGET_DIR/debug/nts-atlas"
LIB="$(mktemp -d /tmp/nts-smoke-lib.XXXXXX)"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
export NTS_LIBRARY="$LIB" NTS_CORPUS="$ROOT/corpus"
TAURI_WEBVIEW_AUTOMATION=true setsid WebKitWebDriver --host=127.0.0.1 --port="$PORT" >"$ROOT/artifacts/webkitwebdriver.log" 2>&1 &
DRIVER_PID=$!
cleanup() { kill -- -"$DRIVER_PID" 2>/dev/null || true; rm -rf "$LIB"; }
trap cleanup EXIT
for _ in $(seq 1 50); do
  (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.2
done
cd "$HERE"
WEBDRIVER_URL="http://127.0.0.1:$PORT" NTS_ATLAS_BIN="$APP" node --test tauri.test.mjs
