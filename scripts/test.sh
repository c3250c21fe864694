#!/usr/bin/env bash
# README command 2: install what the tests need (Debian gdal-bin, chromium, PyQGIS, PostGIS, nginx when absent), set up, run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1 || missing+=(python3-qgis qgis-providers)  # tests/test_qgis.py
test -f /usr/share/postgresql/15/extension/postgis.control || missing+=(postgresql-15-postgis-3)  # tests/test_postgis.py
command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || missing+=(nginx)  # tests/test_reliability_slow_clients.py
command -v npm >/dev/null 2>&1 || missing+=(npm)  # setup.sh: Leaflet.VectorGrid for tiled maps (tests/test_maps_tiles.py)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # the tests start nginx themselves on loopback; the package's own service (port 80) is not wanted here
  if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null 2>&1; then
    $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
fi
source scripts/setup.sh test
# tests/test_conformance_suites.py: ogctests (PyPI) in a virtualenv of its own (it pins pytest < 9, pyarrow < 18)
if [ ! -x build/tools/ogctests/bin/python ]; then
  "$(find_python)" -m venv build/tools/ogctests && build/tools/ogctests/bin/python -m pip install --quiet ogctests==0.1.15 \
    || { echo "warning: ogctests not installed; its test will skip" >&2; rm -rf build/tools/ogctests; }
fi
# tests/test_api_rules.py: Spectral (npm) with the Logius ADR ruleset, and tsx to run Geonovum's TypeScript rulesets;
# the tests skip without them
if command -v npm >/dev/null 2>&1 && [ ! -x build/tools/spectral/node_modules/.bin/spectral ]; then
  mkdir -p build/tools/spectral
  (cd build/tools/spectral && npm install --silent --no-audit --no-fund @stoplight/spectral-cli@6 tsx@4 ramda@0.30 json-schema-merge-allof@0.8) \
    || echo "warning: Spectral not installed; its test will skip" >&2
fi
exec .venv/bin/python -m pytest "$@"
