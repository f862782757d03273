#!/usr/bin/env bash
# Builds the native tree (server, SDK, CLI, tests, benchmarks) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${SEATGATE_JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build build -j "$jobs"
