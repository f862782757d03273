#!/usr/bin/env bash
# Sets up and runs the demo: seatgate-server with its embedded Redis and the
# demo checkout site on http://localhost:8080 (the demo event is seeded on the
# first run; sales are kept in seatgate-data/, delete it to start afresh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh seatgate-server
[ -d node_modules ] || npm ci --no-audit --no-fund
scripts/build-wasm.sh
echo
echo "seatgate demo: open http://localhost:8080  (Ctrl-C to stop)"
echo
exec build/server/seatgate-server --demo --web-root web-demo --listen "${SEATGATE_LISTEN:-127.0.0.1:8080}" "$@"
