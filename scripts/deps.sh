#!/usr/bin/env bash
# Installs what seatgate needs on Debian 12, from Debian's archive only.
# Skips apt-get entirely when everything is already there.
set -euo pipefail
pkgs=(cmake ninja-build g++ pkg-config libboost1.81-dev libboost-system1.81-dev libhiredis-dev libjemalloc-dev nlohmann-json3-dev
      libcpp-httplib-dev libgtest-dev libgmock-dev libbenchmark-dev libssl-dev postgresql-15 libpq-dev
      redis-server redis-tools emscripten nodejs chromium wrk)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ships inside some nodejs builds (NodeSource); Debian packages it apart.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
