#!/usr/bin/env bash
# bench/lifecycle.sh — Redis memory per buyer (docs/operations.md "Data
# lifecycle"): BUYERS distinct users each reserve and confirm one ticket
# (seatgate-load, scenario reserve-confirm) on a private redis-server; then
# used_memory per buyer is read once the outbox is drained (the 7-day default
# retention: everything kept), and again after a server started with
# `--retention 1s --retention-confirmed 1s` has removed every ended
# reservation, and once more without the idempotency records (they expire
# 24 h after their request; deleted here to show that moment). Also counts
# what is left by kind of key.
#
# Settings (environment): BUYERS=100000 CONNECTIONS=64 SERVER_THREADS=2
# LOAD_THREADS=1 BUILD_DIR=build (seatgate-server and seatgate-load built
# there; LOAD_BIN overrides the load generator's path). Takes about BUYERS / (confirm rate) + 30 s.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"

BUYERS=${BUYERS:-100000}
CONNECTIONS=${CONNECTIONS:-64}
SERVER_THREADS=${SERVER_THREADS:-2}
LOAD_THREADS=${LOAD_THREADS:-1}
BUILD_DIR=${BUILD_DIR:-$root/build}
EVENT=bench-lifecycle

server_bin=$BUILD_DIR/server/seatgate-server
load_bin=${LOAD_BIN:-$BUILD_DIR/bench/seatgate-load}
for bin in "$server_bin" "$load_bin"; do
  [[ -x $bin ]] || sg_die "$bin is missing (scripts/build.sh seatgate-server seatgate-load)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/seatgate-lifecycle-XXXXXX")
trap 'sg_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
export SEATGATE_JWT_SECRET="bench-secret-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
export SEATGATE_ADMIN_TOKEN="bench-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

sg_start_redis "$work"
rcli() { redis-cli -s "$SG_REDIS_SOCK" "$@"; }
used_memory() { rcli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }
P="sg:{e:$EVENT}:"
# Waits (at most $2 s) until the command "$1" prints "$3".
wait_for() {
  local i
  for i in $(seq 1 $(($2 * 10))); do
    [[ $(eval "$1") == "$3" ]] && return 0
    sleep 0.1
  done
  sg_die "timed out waiting for: $1 == $3 (is $(eval "$1"))"
}
# Keys left, by kind: the part of the name after the event's prefix, up to ':'.
key_kinds() {
  rcli --scan --pattern "$P*" | sed "s/^sg:{e:$EVENT}://; s/:.*//" | sort | uniq -c |
    awk '{printf "%s %s=%s", sep, $2, $1; sep=","} END {print ""}'
}

# A server start before anything: the baseline (empty Redis, scripts loaded).
sg_start_server "$server_bin" "$work" --threads "$SERVER_THREADS" --max-connections-per-ip 0 \
  --reservations-per-user-per-minute 0
base=$(used_memory)

echo "== $BUYERS buyers: reserve + confirm" >&2
timeout $((BUYERS / 50 + 300)) "$load_bin" --target "127.0.0.1:$SG_SERVER_PORT" --quiet \
  --connections "$CONNECTIONS" --threads "$LOAD_THREADS" --scenario reserve-confirm \
  --event "$EVENT" --users "$BUYERS" --operations "$BUYERS" --capacity $((BUYERS * 2)) \
  --max-per-user 10 --hold-ttl 7200 --duration 3600 --json "$work/load.json" >/dev/null
confirmed=$(rcli hget "${P}ev" n:confirmed)
wait_for "rcli xlen ${P}out" 120 0  # every consumer has everything: the stream is trimmed
sale=$(used_memory)
sale_keys=$(key_kinds)
sg_stop_server

echo "== retention: --retention 1s --retention-confirmed 1s" >&2
sg_start_server "$server_bin" "$work" --threads "$SERVER_THREADS" --max-connections-per-ip 0 \
  --retention 1s --retention-confirmed 1s
wait_for "rcli hlen ${P}r" $((BUYERS / 1000 + 120)) 0
kept=$(used_memory)
kept_keys=$(key_kinds)
sg_stop_server
# 24 h later the idempotency records have expired (their TTL); simulated here.
rcli --scan --pattern "${P}idem:*" | xargs -r -n 1000 redis-cli -s "$SG_REDIS_SOCK" unlink >/dev/null
day=$(used_memory)
day_keys=$(key_kinds)

python3 - "$BUYERS" "$confirmed" "$base" "$sale" "$kept" "$day" "$sale_keys" "$kept_keys" "$day_keys" <<'PY'
import sys
buyers, confirmed, base, sale, kept, day = (int(x) for x in sys.argv[1:7])
sale_keys, kept_keys, day_keys = sys.argv[7], sys.argv[8], sys.argv[9]
print(f"buyers: {buyers}, confirmed: {confirmed}, baseline used_memory: {base:,} B")
print("| moment | used_memory above baseline | per buyer | keys of the event by kind |")
print("|---|---|---|---|")
for name, m, keys in (("after the sale (outbox drained)", sale, sale_keys),
                      ("after retention removed every reservation", kept, kept_keys),
                      ("and once the 24 h idempotency records expired", day, day_keys)):
    print(f"| {name} | {m - base:,} B | {(m - base) / buyers:,.0f} B | {keys} |")
PY
