#!/usr/bin/env bash
# bench/callgrind.sh — instructions per reservation, counted by valgrind's
# callgrind: repeatable where wall-clock figures are not (a shared, noisy box).
#
#   server: seatgate-server (--threads 1) under callgrind, counting switched
#           on only around N reservations sent by seatgate-load (event set up
#           and a warm-up done before), so start-up and setup are not counted;
#   redis:  redis-server under callgrind, counting only around N
#           `EVALSHA reserve_seats` sent by redis-benchmark, each a new
#           reservation (the ceiling's command line, docs/performance.md),
#           then full batches of RB_BATCHES requests per call;
#   batched: redis-server under callgrind again, but fed by seatgate-server
#           (group commit on, --reserve-batch BATCH) with CONNECTIONS
#           reservations in flight: Redis instructions per reservation when
#           the batches are full (the server's metrics give the mean batch).
#
# Prints "server_ir_per_reserve N", "redis_ir_per_reserve N" and
# "batched_redis_ir_per_reserve N" (with "batched_mean_batch") and keeps the
# profiles in $OUT (callgrind_annotate them). Settings (environment):
# N=3000 BUILD_DIR=build-bench OUT=$BUILD_DIR/callgrind/<time>
# WHAT="server redis batched" BATCH=32 CONNECTIONS=64 RB_BATCHES="32" (the
# batch sizes the redis part also measures, beside one request per call)
# SERVER_ARGS="" (extra seatgate-server flags, e.g. --no-access-log)
# SCRIPT_REV="" (a commit: measure the reserve script as it was there; the
# key layout must be this one, docs/redis-schema.md).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench
source "$here/lib.sh"

N=${N:-3000}
BUILD_DIR=${BUILD_DIR:-$root/build-bench}
WHAT=${WHAT:-server redis batched}
BATCH=${BATCH:-32}
CONNECTIONS=${CONNECTIONS:-64}
RB_BATCHES=${RB_BATCHES:-32}
SERVER_ARGS=${SERVER_ARGS:-}
SCRIPT_REV=${SCRIPT_REV:-}
server_bin=$BUILD_DIR/server/seatgate-server
load_bin=$BUILD_DIR/bench/seatgate-load
for tool in valgrind callgrind_control redis-server redis-cli redis-benchmark python3; do
  command -v "$tool" >/dev/null || sg_die "$tool is not installed"
done
[[ ( " $WHAT " != *" server "* && " $WHAT " != *" batched "* ) || ( -x $server_bin && -x $load_bin ) ]] || sg_die "build $server_bin and $load_bin first (bench/run.sh does)"

work=$(mktemp -d /tmp/seatgate-callgrind-XXXXXX)
OUT=${OUT:-$BUILD_DIR/callgrind/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
trap 'sg_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

export SEATGATE_JWT_SECRET="cg-secret-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
export SEATGATE_ADMIN_TOKEN="cg-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

# Total instructions of the last dump callgrind wrote for PID.
dump_total() {
  local pid=$1 prefix=$2 f
  callgrind_control -d "$pid" >/dev/null
  f=$(ls -t "$prefix".* 2>/dev/null | head -1)
  awk '/^totals:/ {print $2; exit}' "$f"
}

counting() {  # counting PID on|off
  if [[ $2 == on ]]; then callgrind_control -z "$1" >/dev/null; fi
  callgrind_control -i "$2" "$1" >/dev/null
}

put_event() {  # put_event HOST:PORT ID
  python3 - "$1" "$2" <<'PY'
import http.client, os, sys
host, port = sys.argv[1].rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port), timeout=60)
body = ('{"name":"callgrind","currency":"EUR","status":"on_sale","hold_ttl_s":7200,'
        '"max_per_order":10,"max_per_user":10000,'
        '"zones":[{"id":"z","name":"Z","capacity":10000000,"price":4500}],'
        '"waiting_room":{"enabled":false}}')
c.request("PUT", "/v1/admin/events/" + sys.argv[2], body,
          {"Authorization": "Bearer " + os.environ["SEATGATE_ADMIN_TOKEN"],
           "Content-Type": "application/json"})
r = c.getresponse()
r.read()
sys.exit(0 if r.status in (200, 201) else 1)
PY
}

# Starts redis-server under callgrind (counting off) on $work/<name>.sock;
# sets SG_REDIS_SOCK and SG_REDIS_PID.
start_redis_under_callgrind() {
  SG_REDIS_SOCK=$work/$1-cg.sock
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/$1.cg" \
    redis-server --port 0 --unixsocket "$SG_REDIS_SOCK" --unixsocketperm 700 --dir "$work" \
    --save '' --appendonly no >"$work/$1-cg.log" 2>&1 &
  SG_REDIS_PID=$!
  for _ in $(seq 1 600); do
    redis-cli -s "$SG_REDIS_SOCK" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  sg_die "redis-server did not start under valgrind"
}
rcli() { redis-cli -s "$SG_REDIS_SOCK" "$@"; }

if [[ " $WHAT " == *" server "* ]]; then
  sg_start_redis "$work"
  SG_SERVER_LOG=$work/server.log
  # shellcheck disable=SC2086
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/server.cg" \
    --log-file="$work/valgrind.err" \
    "$server_bin" --listen 127.0.0.1:0 --redis-url "unix://$SG_REDIS_SOCK" --threads 1 \
    --user-rate-limit 0 --ip-rate-limit 0 $SERVER_ARGS >"$SG_SERVER_LOG" 2>&1 &
  SG_SERVER_PID=$!
  port=""
  for _ in $(seq 1 1200); do
    port=$(grep -m1 '"msg":"listening"' "$SG_SERVER_LOG" 2>/dev/null |
      sed -n 's/.*"port":\([0-9]*\).*/\1/p' || true)
    [[ -n $port ]] && grep -q '"msg":"ready"' "$SG_SERVER_LOG" && break
    kill -0 "$SG_SERVER_PID" 2>/dev/null || { cat "$SG_SERVER_LOG" "$work/valgrind.err" >&2; sg_die "server died"; }
    sleep 0.1
  done
  [[ -n $port ]] || sg_die "seatgate-server did not become ready under valgrind"
  ev=cg-$RANDOM
  put_event "127.0.0.1:$port" "$ev" || sg_die "PUT event failed"
  run_load() {
    "$load_bin" --target "127.0.0.1:$port" --scenario reserve --event "$ev" --no-setup \
      --connections 16 --threads 1 --hold-ttl 7200 --timeout 60 --duration 600 --warmup 0 \
      --quiet --operations "$1" --json "$2" >/dev/null
  }
  run_load 300 "$work/warm.json"
  counting "$SG_SERVER_PID" on
  run_load "$N" "$OUT/server-load.json"
  counting "$SG_SERVER_PID" off
  ir=$(dump_total "$SG_SERVER_PID" "$OUT/server.cg")
  ok=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sum(v for k,v in d.get('statuses',{}).items() if k.startswith('201')) or d.get('completed',0))" "$OUT/server-load.json" 2>/dev/null || echo "$N")
  echo "server_requests $ok"
  echo "server_ir_per_reserve $((ir / N))"
  sg_stop_server
  sg_stop_redis
fi

if [[ " $WHAT " == *" redis "* ]]; then
  start_redis_under_callgrind redis
  sock=$SG_REDIS_SOCK
  ev=cg
  p="sg:{e:$ev}:"
  script=$work/reserve_seats.lua
  # The script as of SCRIPT_REV (a commit), or as checked out, as the server loads it.
  show() { if [[ -n $SCRIPT_REV ]]; then git -C "$root" show "$SCRIPT_REV:lua/$1"; else sg_lua_cat "$1"; fi; }
  sg_script_text reserve_seats show >"$script"
  sha=$(rcli -x SCRIPT LOAD <"$script")
  fp=$(printf 'bench-fingerprint' | sha256sum | cut -d' ' -f1)
  # KEYS and ARGV as store/calls.h builds them: a new reservation id,
  # idempotency key and user each time; no queue pass, no per-minute cap; a
  # general zone. Since assigned seating the event's three seat keys come
  # after the outbox, and two more arguments (seats, best) after per_minute.
  fixed=("${p}ev" "${p}r" "${p}ix" "${p}out")
  extra=()
  if grep -q 'P seats, P sh, P sl' "$script"; then
    fixed+=("${p}seats" "${p}sh" "${p}sl")
    extra=("" "")
  fi
  # The event and its zone as upsert_event.lua writes them (docs/redis-schema.md):
  # the zone's fields first (since assigned seating with `seated` second), then
  # the event's.
  seated=()
  [[ ${#extra[@]} -gt 0 ]] && seated=(z:z:seated 0)
  rcli HSET "${p}ev" z:z:name Z "${seated[@]}" z:z:price 4500 z:z:capacity 10000000 \
    z:z:available 10000000 z:z:held 0 z:z:sold 0 name cg currency EUR status on_sale \
    hold_ttl_s 7200 max_per_order 10 max_per_user 10000 zones z wr '{"enabled":false}' \
    wr_enabled 0 >/dev/null
  # A call carries one request, then (RB_BATCHES) full batches of that many
  # requests, as group commit sends them (lua/reserve_seats.lua).
  for batch in 1 $RB_BATCHES; do
    keys=() args=()
    for ((i = 0; i < batch; i++)); do
      keys+=("${p}idem:rb:__rand_int__-__rand_int__" "${p}pass:" "${p}rl:rb-__rand_int__")
      args+=("$ev.__rand_int____rand_int__" "rb-__rand_int__" "z" "1" "$fp" "" "86400" "100" "0"
             "${extra[@]}")
    done
    cmd=(EVALSHA "$sha" $((${#fixed[@]} + ${#keys[@]})) "${fixed[@]}" "${keys[@]}" "${args[@]}")
    calls=$(((N + batch - 1) / batch))
    redis-benchmark -s "$sock" -c 16 -n $(((300 + batch - 1) / batch)) -r 1000000000 -q "${cmd[@]}" >/dev/null
    held0=$(rcli HGET "${p}ev" n:held)
    counting "$SG_REDIS_PID" on
    redis-benchmark -s "$sock" -c 16 -n "$calls" -r 1000000000 -q "${cmd[@]}" >/dev/null
    counting "$SG_REDIS_PID" off
    ir=$(dump_total "$SG_REDIS_PID" "$OUT/redis.cg")
    held=$(($(rcli HGET "${p}ev" n:held) - held0))
    if [[ $batch == 1 ]]; then
      echo "redis_reservations $held"
      echo "redis_ir_per_reserve $((ir / (held > 0 ? held : 1)))"
    else
      echo "redis_batch_${batch}_reservations $held"
      echo "redis_batch_${batch}_ir_per_reserve $((ir / (held > 0 ? held : 1)))"
    fi
  done
  sg_stop_redis
fi
if [[ " $WHAT " == *" batched "* ]]; then
  start_redis_under_callgrind batched
  sg_start_server "$server_bin" "$work" --threads 2 --reserve-batch "$BATCH" --no-access-log
  ev=cgb-$RANDOM
  put_event "127.0.0.1:$SG_SERVER_PORT" "$ev" || sg_die "PUT event failed"
  run_batched() {
    "$load_bin" --target "127.0.0.1:$SG_SERVER_PORT" --scenario reserve --event "$ev" --no-setup \
      --connections "$CONNECTIONS" --threads 1 --hold-ttl 7200 --timeout 120 --duration 900 \
      --warmup 0 --quiet --operations "$1" --json "$2" >/dev/null
  }
  metric() {
    python3 - "$SG_SERVER_PORT" "$1" <<'PY'
import sys, urllib.request
body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=30).read().decode()
print(sum(int(float(l.split()[-1])) for l in body.splitlines() if l.startswith(sys.argv[2] + " ")))
PY
  }
  run_batched 300 "$work/warm-batched.json"
  calls0=$(metric seatgate_reserve_calls_total)
  reqs0=$(metric seatgate_reserve_call_requests_total)
  counting "$SG_REDIS_PID" on
  run_batched "$N" "$OUT/batched-load.json"
  counting "$SG_REDIS_PID" off
  ir=$(dump_total "$SG_REDIS_PID" "$OUT/batched.cg")
  calls=$(( $(metric seatgate_reserve_calls_total) - calls0 ))
  reqs=$(( $(metric seatgate_reserve_call_requests_total) - reqs0 ))
  held=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['statuses'].get('201', 0))" \
    "$OUT/batched-load.json")
  echo "batched_reservations $held"
  echo "batched_mean_batch $(python3 -c "print(round($reqs / max($calls, 1), 1))")"
  echo "batched_redis_ir_per_reserve $((ir / (held > 0 ? held : 1)))"
  sg_stop_server
  sg_stop_redis
fi
echo "profiles in $OUT" >&2
