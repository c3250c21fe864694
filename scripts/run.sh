#!/usr/bin/env bash
# README command 1: set up, build every layer for Schagen (GM0441) from data/, write config, OpenAPI and
# the overview map, then serve OGC API Features at http://$HOST:$PORT (default 127.0.0.1:5000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
geo=.venv/bin/geo
[ -f data/generated/bag_GM0441.gpkg ] || $geo sample
$geo build --gemeente "${GEMEENTE:-GM0441}"
$geo config
$geo map
exec $geo serve --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" --workers "${WORKERS:-2}"
