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
exec .venv/bin/python -m pytest "$@"
