#!/usr/bin/env bash
# Builds the WebAssembly SDK (wasm/) with Emscripten and copies
# seatgate.mjs, seatgate.wasm and seatgate.d.ts (+ .d.mts) into web-demo/sdk/, where the
# demo site and the browser tests load them. The npm package (@seatgate/sdk,
# wasm/npm/) is assembled in $BUILD_DIR/wasm/npm/ (`npm pack` there makes the
# tarball; tests/e2e/npm_pack.test.mjs does).
#
#   scripts/build-wasm.sh            # build dir: build-wasm/
#   BUILD_DIR=/tmp/w scripts/build-wasm.sh
#   WASM_OPT=-Oz scripts/build-wasm.sh   # smallest (default -O2: faster per call, docs/wasm.md)
#
# Needs: emscripten (Debian: apt-get install emscripten), cmake, ninja or make,
# and nlohmann-json3-dev (the core's JSON library, header-only).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build-wasm}
out=$root/web-demo/sdk

# Debian's emcc runs its JS tools with the system node and needs the
# system's node modules (acorn, ...) on NODE_PATH.
if [[ -d /usr/share/nodejs ]]; then
  export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
fi
command -v emcmake >/dev/null || { echo "build-wasm: emcmake not found (apt-get install emscripten)" >&2; exit 1; }

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi

emcmake cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DCMAKE_CXX_FLAGS_MINSIZEREL="${WASM_OPT:--O2} -DNDEBUG" \
  -DSEATGATE_WASM_OPT="${WASM_OPT:--O2}" \
  -DSEATGATE_BUILD_WASM=ON \
  -DSEATGATE_BUILD_TESTS=OFF \
  -DSEATGATE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target seatgate_wasm -j "${JOBS:-2}"

mkdir -p "$out"
for f in seatgate.mjs seatgate.wasm seatgate.d.ts seatgate.d.mts; do
  cp "$build/wasm/$f" "$out/$f"
done

sizes() {
  local f=$1
  printf '  %-14s %7d bytes raw, %6d bytes gzip -9\n' "$(basename "$f")" \
    "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
}
echo "build-wasm: copied to ${out#$root/}/; npm package in ${build#$root/}/wasm/npm/"
sizes "$out/seatgate.mjs"
sizes "$out/seatgate.wasm"
