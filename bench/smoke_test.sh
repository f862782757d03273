#!/usr/bin/env bash
# ctest "bench_load_smoke": redis-server + seatgate-server, then seatgate-load
# for 2 s on reserve and on event-read. Passes when it exits 0 and its JSON
# parses with the expected fields. No timed assertions.
# usage: smoke_test.sh SEATGATE_LOAD SEATGATE_SERVER
set -euo pipefail
load_bin=$1 server_bin=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

dir=$(mktemp -d /tmp/seatgate-bench-smoke-XXXXXX)
trap 'sg_stop_all; rm -rf "$dir"' EXIT
export SEATGATE_JWT_SECRET="smoke-secret-$RANDOM$RANDOM-0123456789abcdef"
export SEATGATE_ADMIN_TOKEN="smoke-admin-$RANDOM$RANDOM-0123456789"

sg_start_redis "$dir"
sg_start_server "$server_bin" "$dir" --threads 1 --no-access-log

for scenario in reserve event-read; do
  timeout 60 "$load_bin" --target "127.0.0.1:$SG_SERVER_PORT" --scenario "$scenario" \
    --duration 2 --connections 4 --users 1000 --quiet --json "$dir/$scenario.json" \
    || { echo "seatgate-load $scenario failed"; tail -20 "$SG_SERVER_LOG"; exit 1; }
  python3 - "$dir/$scenario.json" "$scenario" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["scenario"] == sys.argv[2], r["scenario"]
for key in ("throughput_rps", "requests", "statuses", "latency_ms", "kinds"):
    assert key in r, "missing " + key
assert r["requests"] > 0, "no requests recorded"
ok = sum(n for s, n in r["statuses"].items() if s.startswith("2"))
assert ok > 0, "no successful response: %r" % r["statuses"]
for p in ("p50", "p90", "p99", "p99.9", "max"):
    assert r["latency_ms"][p] >= 0
print("%s: %d requests, statuses %r" % (sys.argv[2], r["requests"], r["statuses"]))
PY
done
