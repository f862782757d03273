#!/usr/bin/env bash
# Builds the native tree into build/: everything, or the targets given
# (e.g. scripts/build.sh seatgate-server).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${SEATGATE_JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
if (($#)); then
  cmake --build build -j "$jobs" --target "$@"
else
  cmake --build build -j "$jobs"
fi
