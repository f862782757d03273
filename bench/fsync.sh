#!/usr/bin/env bash
# bench/fsync.sh — the embedded Redis's `--fsync always` against `--fsync
# everysec` (docs/operations.md "Durability"), side by side on this machine:
# for each run, each mode gets a fresh seatgate-server with its embedded Redis
# on a fresh --data-dir under DATA_PARENT, and seatgate-load measures reserve
# and reserve-then-confirm (closed loop). Prints the median of RUNS runs per
# mode. Bounded: about RUNS × 2 × 2 × (WARMUP + DURATION) seconds plus starts.
#
# Settings (environment): RUNS=3 DURATION=5 WARMUP=1 CONNECTIONS=64
# SERVER_THREADS=2 LOAD_THREADS=1 BUILD_DIR=build (seatgate-server and
# seatgate-load built there) DATA_PARENT=$TMPDIR or /tmp (the disk measured).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"

RUNS=${RUNS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
CONNECTIONS=${CONNECTIONS:-64}
SERVER_THREADS=${SERVER_THREADS:-2}
LOAD_THREADS=${LOAD_THREADS:-1}
BUILD_DIR=${BUILD_DIR:-$root/build}
DATA_PARENT=${DATA_PARENT:-${TMPDIR:-/tmp}}

server_bin=$BUILD_DIR/server/seatgate-server
load_bin=$BUILD_DIR/bench/seatgate-load
for bin in "$server_bin" "$load_bin"; do
  [[ -x $bin ]] || sg_die "$bin is missing (scripts/build.sh seatgate-server seatgate-load)"
done

work=$(mktemp -d "$DATA_PARENT/seatgate-fsync-XXXXXX")
trap 'sg_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export SEATGATE_JWT_SECRET="bench-secret-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
export SEATGATE_ADMIN_TOKEN="bench-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
SG_REDIS_SOCK=""  # the server's embedded Redis

for run in $(seq 1 "$RUNS"); do
  for mode in always everysec; do
    dir=$work/$mode-$run
    mkdir -p "$dir"
    sg_start_server "$server_bin" "$dir" --data-dir "$dir/data" --fsync "$mode" \
      --threads "$SERVER_THREADS" --max-connections-per-ip 0 --reservations-per-user-per-minute 0
    for scenario in reserve reserve-confirm; do
      echo "== run $run, --fsync $mode: $scenario" >&2
      timeout $((DURATION * 4 + WARMUP + 60)) "$load_bin" --target "127.0.0.1:$SG_SERVER_PORT" \
        --quiet --connections "$CONNECTIONS" --threads "$LOAD_THREADS" --hold-ttl 7200 \
        --scenario "$scenario" --duration "$DURATION" --warmup "$WARMUP" \
        --json "$work/$mode-$scenario-$run.json" >/dev/null
    done
    sg_stop_server
  done
done

python3 - "$work" "$RUNS" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def runs_of(mode, scenario):
    return [json.load(open(f"{work}/{mode}-{scenario}-{r}.json")) for r in range(1, runs + 1)]
print("| --fsync | reserve/s | reserve p99 ms | reserve-confirm: confirm/s | confirm p99 ms | per run (reserve/s; confirm/s) |")
print("|---|---|---|---|---|---|")
for mode in ("always", "everysec"):
    rs, rc = runs_of(mode, "reserve"), runs_of(mode, "reserve-confirm")
    med = statistics.median
    r_rps = [r["throughput_rps"] for r in rs]
    c_rps = [r["kinds"]["confirm"]["throughput_rps"] for r in rc]
    print(f"| {mode} | {med(r_rps):,.0f} | {med(r['latency_ms']['p99'] for r in rs):.2f} | "
          f"{med(c_rps):,.0f} | {med(r['kinds']['confirm']['latency_ms']['p99'] for r in rc):.2f} | "
          + ", ".join(f"{a:,.0f}" for a in r_rps) + "; " + ", ".join(f"{b:,.0f}" for b in c_rps) + " |")
PY
