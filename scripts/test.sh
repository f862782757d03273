#!/usr/bin/env bash
# Sets up and runs every test: unit, Lua against a real redis-server, the
# server over HTTP, concurrency, the SDK and C API, WebAssembly under Node,
# and the demo in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
npm ci --no-audit --no-fund
scripts/build-wasm.sh
ulimit -n 65536 2>/dev/null || true
ctest --test-dir build --output-on-failure -j "${SEATGATE_TEST_JOBS:-2}" "$@"
