#!/usr/bin/env bash
# README command 1: set up, build every layer (and the analyses) for Schagen (GM0441) from data/, write config,
# OpenAPI, the overview map, the gebiedsanalyse report and a QGIS project, then serve OGC API Features at
# http://$HOST:$PORT (default 127.0.0.1:5000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
geo=.venv/bin/geo
$geo sample  # seeded: the same files every time
$geo build --gemeente "${GEMEENTE:-GM0441}"
$geo config
GEO_SERVER_URL="${GEO_SERVER_URL:-http://${HOST:-127.0.0.1}:${PORT:-5000}}" $geo map  # big layers: tiles of this server
$geo gebiedsanalyse --gemeente "${GEMEENTE:-GM0441}" --out build/rapporten/gebiedsanalyse.html
$geo qgis-project --url "http://${HOST:-127.0.0.1}:${PORT:-5000}" --out build/omgevingsgeo.qgz
exec $geo serve --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" --workers "${WORKERS:-2}"
