#!/usr/bin/env bash
# Installs what building, running and testing NTS Atlas needs on Debian/Ubuntu:
# system libraries for the Tauri window, Xvfb and WebKitWebDriver for the window test,
# Chromium for the browser tests, a CJK font for map labels, networkx for export checks.
# Idempotent: skips what is already there.
set -euo pipefail
need=()
for pkg in build-essential pkg-config file libwebkit2gtk-4.1-dev libgtk-3-dev libssl-dev \
           xvfb xauth imagemagick x11-utils webkit2gtk-driver chromium fonts-wqy-microhei; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -c "import networkx" 2>/dev/null || python3 -m pip install -q networkx
if [ -f tests-e2e/package.json ] && [ ! -d tests-e2e/node_modules ]; then
  (cd tests-e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: ok"
