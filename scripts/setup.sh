#!/usr/bin/env bash
# Creates .venv with Python >= 3.12 and installs the project into it. Sourced by run.sh and test.sh.
# Usage: source scripts/setup.sh [test]    (test: also install the test and postgis extras)
set -euo pipefail

find_python() {
  local c
  for c in "${PYTHON:-}" python3.12 python3.13 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 \
           /usr/local/bin/python3.12 /usr/bin/python3.12; do
    [ -n "$c" ] || continue
    if "$c" -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  echo "error: Python >= 3.12 not found; install python3.12 or set PYTHON=/path/to/python3.12" >&2
  return 1
}

if ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] >= (3, 12)' 2>/dev/null; then
  rm -rf .venv
  "$(find_python)" -m venv .venv
fi
extras=""
[ "${1:-}" = "test" ] && extras="[test,postgis]"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"
# Leaflet.VectorGrid (npm, Beerware; README with the licence beside it): the overview map draws layers too big to
# inline from the server's vector tiles, and geo.render.offline inlines the script from here
if [ ! -f build/tools/leaflet.vectorgrid/node_modules/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.js ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p build/tools/leaflet.vectorgrid
    (cd build/tools/leaflet.vectorgrid && npm install --silent --no-audit --no-fund leaflet.vectorgrid@1.3.0) \
      || echo "warning: leaflet.vectorgrid not installed; maps of layers too big to inline will refuse" >&2
  else
    echo "warning: npm not found; maps of layers too big to inline need leaflet.vectorgrid (apt-get install npm)" >&2
  fi
fi
