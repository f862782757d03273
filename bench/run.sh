#!/usr/bin/env bash
# bench/run.sh — every seatgate measurement in one command, on this machine:
#
#   1. builds Release (build-bench/) if seatgate-server or seatgate-load is missing
#      or older than the sources;
#   2. starts a private redis-server (Unix socket, temp dir) and seatgate-server
#      (127.0.0.1:<free port>);
#   3. measures, each run bounded in time:
#      - server RSS with IDLE_CONNECTIONS idle keep-alive connections;
#      - the ceiling: redis-benchmark calling seatgate's own reserve_seats script
#        by EVALSHA at CONNECTIONS concurrency, interleaved with seatgate's
#        reserve over HTTP (seatgate-load, closed loop, same concurrency);
#        median of RUNS runs each, and their ratio;
#      - the reference: redis-benchmark calling bench/reference_reserve.lua (the
#        least a reservation can do in Redis) pipelined (-P 16) and not (-P 1),
#        in the same interleaving; seatgate's ratio to each;
#      - reserve in open loop at constant rates (RATES per second; p99);
#      - reserve-then-confirm, event read, the flash sale (median of RUNS);
#      - the flash sale again with STREAM_SUBSCRIBERS live-availability streams
#        open on its event (Redis reads per second, server RSS, throughput, and
#        the CPU of the server and of the subscribers during each sale);
#      - Redis bytes per held reservation (INFO memory before/after MEM_HOLDS);
#   4. prints the tables and writes them into docs/performance.md between
#      the "results" markers (UPDATE_DOC=0 to leave the file alone).
#
# Settings (environment): RUNS=3 DURATION=10 WARMUP=2 CONNECTIONS=64
# RATES="10000 5000 2000" (open-loop rates) SERVER_THREADS=2 LOAD_THREADS=1 IDLE_CONNECTIONS=10000
# MEM_HOLDS=100000 FLASH_SEATS=10000 SEATED_SEATS=10000 FLASH_USERS=100000 RB_REQUESTS=0 (0: size
# each redis-benchmark run to about DURATION seconds) SERVER_ARGS="" (extra
# seatgate-server flags) STREAM_SUBSCRIBERS=10000 BUILD_DIR=build-bench UPDATE_DOC=1
# SCENARIOS=all, or some of: idle reserve open other streams memory ("streams" runs
# the flash sale without and with the streams, RUNS times; the doc is updated
# only by a full run) SUBSCRIBERS=native (seatgate-stream-subscribers; "python":
# bench/stream_subscribers.py) SERVER_BIN= (another seatgate-server binary, e.g.
# an older commit's, to compare with; the default is BUILD_DIR's).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench
source "$here/lib.sh"

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-64}
RATES=${RATES:-10000 5000 2000}
SERVER_THREADS=${SERVER_THREADS:-2}
LOAD_THREADS=${LOAD_THREADS:-1}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
MEM_HOLDS=${MEM_HOLDS:-100000}
FLASH_SEATS=${FLASH_SEATS:-10000}
FLASH_USERS=${FLASH_USERS:-100000}
SEATED_SEATS=${SEATED_SEATS:-10000}
RB_REQUESTS=${RB_REQUESTS:-0}
SERVER_ARGS=${SERVER_ARGS:-}
STREAM_SUBSCRIBERS=${STREAM_SUBSCRIBERS:-10000}
BUILD_DIR=${BUILD_DIR:-$root/build-bench}
UPDATE_DOC=${UPDATE_DOC:-1}
SCENARIOS=${SCENARIOS:-all}
SUBSCRIBERS=${SUBSCRIBERS:-native}
want() { [[ " $SCENARIOS " == *" all "* || " $SCENARIOS " == *" $1 "* ]]; }
want all || UPDATE_DOC=0  # the doc's tables come from a full run only

for tool in redis-server redis-cli redis-benchmark python3 cmake ninja; do
  command -v "$tool" >/dev/null || sg_die "$tool is not installed"
done

# --- 1. build --------------------------------------------------------------
server_bin=$BUILD_DIR/server/seatgate-server
load_bin=$BUILD_DIR/bench/seatgate-load
subscribers_bin=$BUILD_DIR/bench/seatgate-stream-subscribers
needs_build=0
for bin in "$server_bin" "$load_bin" "$subscribers_bin"; do
  [[ -x $bin ]] || needs_build=1
done
if [[ $needs_build == 0 ]] &&
   [[ -n $(find "$root/server" "$root/lua" "$root/bench/load" "$root/bench/stream_subscribers.cc" "$root/cmake" -newer "$server_bin" \
           \( -name '*.cc' -o -name '*.h' -o -name '*.lua' -o -name '*.txt' -o -name '*.cmake' \) \
           -print -quit) ]]; then
  needs_build=1
fi
if [[ $needs_build == 1 ]]; then
  echo "== building Release in $BUILD_DIR" >&2
  cmake -S "$root" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSEATGATE_BUILD_SDK=OFF -DSEATGATE_BUILD_TESTS=OFF >/dev/null
  nice ninja -C "$BUILD_DIR" -j2 seatgate-server seatgate-load seatgate-stream-subscribers >&2
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD_DIR/CMakeCache.txt" ||
  sg_die "$BUILD_DIR is not a Release build"
server_bin=${SERVER_BIN:-$server_bin}

# --- 2. processes --------------------------------------------------------------
work=$(mktemp -d /tmp/seatgate-bench-XXXXXX)
results=$work/results
mkdir -p "$results"
keep_results=$BUILD_DIR/bench-results/$(date -u +%Y%m%dT%H%M%SZ)
cleanup() {
  sg_stop_all
  mkdir -p "$keep_results" && cp -r "$results"/. "$keep_results"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 10,000 idle connections need as many descriptors in the server and the client.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= IDLE_CONNECTIONS + 512 )) ||
  echo "bench: ulimit -n is $(ulimit -n); fewer idle connections may open" >&2

export SEATGATE_JWT_SECRET="bench-secret-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
export SEATGATE_ADMIN_TOKEN="bench-admin-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

sg_start_redis "$work"
# Every bench client comes from 127.0.0.1: the per-address cap (default 256)
# would refuse most of the idle connections. SERVER_ARGS may set it again.
# shellcheck disable=SC2086
# The load generator's users reserve far more than a buyer would: no per-minute
# cap; its 10,000 idle connections all come from 127.0.0.1: no per-IP cap.
sg_start_server "$server_bin" "$work" --threads "$SERVER_THREADS" --max-connections-per-ip 0 \
  --reservations-per-user-per-minute 0 --max-streams-per-ip 0 \
  --max-stream-subscribers "$((STREAM_SUBSCRIBERS + 100))" $SERVER_ARGS
target=127.0.0.1:$SG_SERVER_PORT
rcli() { redis-cli -s "$SG_REDIS_SOCK" "$@"; }

python3 - "$results/meta.json" <<PY
import json, os, platform, subprocess, sys
def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip()
json.dump({
  "nproc": int(sh("nproc")), "cpu_model": model, "kernel": platform.release(),
  "mem_total": sh("grep MemTotal /proc/meminfo | awk '{print \$2\" kB\"}'"),
  "redis": sh("redis-server --version"), "compiler": sh("c++ --version | head -1"),
  "loadavg_start": open("/proc/loadavg").read().split()[:3],
  "date_utc": sh("date -u +%Y-%m-%dT%H:%M:%SZ"), "git": sh("git -C $root rev-parse --short HEAD"),
  "settings": {"runs": $RUNS, "duration_s": $DURATION, "warmup_s": $WARMUP,
    "connections": $CONNECTIONS, "rates": [${RATES// /, }], "server_threads": $SERVER_THREADS,
    "load_threads": $LOAD_THREADS, "server_args": "$SERVER_ARGS",
    "idle_connections": $IDLE_CONNECTIONS, "mem_holds": $MEM_HOLDS,
    "flash_seats": $FLASH_SEATS, "flash_users": $FLASH_USERS, "seated_seats": $SEATED_SEATS,
    "stream_subscribers": $STREAM_SUBSCRIBERS, "scenarios": "$SCENARIOS",
    "subscribers": "$SUBSCRIBERS", "server_bin": "$server_bin"},
}, open(sys.argv[1], "w"), indent=1)
PY

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, in clock ticks
cpu_json() {  # cpu_json FILE SERVER0 SERVER1 REDIS0 REDIS1 [WALL_S]
  python3 -c "import json,os,sys; t=os.sysconf('SC_CLK_TCK'); a=[float(x) for x in sys.argv[2:]]; json.dump({'server_cpu_s': (a[1]-a[0])/t, 'redis_cpu_s': (a[3]-a[2])/t, **({'wall_s': a[4]} if len(a) > 4 else {})}, open(sys.argv[1],'w'))" "$@"
}

load() {  # load NAME [seatgate-load flags...]: one run, JSON into results/NAME.json
  local name=$1; shift
  echo "== $name" >&2
  local s0 r0 w0
  s0=$(cpu_ticks "$SG_SERVER_PID"); r0=$(cpu_ticks "$SG_REDIS_PID"); w0=$(date +%s.%N)
  timeout $((DURATION * 4 + WARMUP + 180)) "$load_bin" --target "$target" --quiet \
    --connections "$CONNECTIONS" --threads "$LOAD_THREADS" --hold-ttl 7200 \
    --json "$results/$name.json" --label "$name" "$@" >"$results/$name.txt" \
    || { local rc=$?; cat "$results/$name.txt" >&2; echo "bench: $name exited $rc" >&2; }
  cpu_json "$results/cpu-$name.json" "$s0" "$(cpu_ticks "$SG_SERVER_PID")" "$r0" "$(cpu_ticks "$SG_REDIS_PID")" \
    "$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$w0" "$(date +%s.%N)")"
}

put_event() {  # put_event ID CONFIG_JSON
  curl_like=$(python3 - "$target" "$1" "$2" <<'PY'
import http.client, os, sys
host, port = sys.argv[1].rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port), timeout=10)
c.request("PUT", "/v1/admin/events/" + sys.argv[2], sys.argv[3],
          {"Authorization": "Bearer " + os.environ["SEATGATE_ADMIN_TOKEN"],
           "Content-Type": "application/json"})
r = c.getresponse()
print(r.status, r.read().decode()[:300])
PY
)
  [[ $curl_like == 20[01]* ]] || sg_die "PUT event $1: $curl_like"
}

server_rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SG_SERVER_PID/status"; }

# --- 3a. idle keep-alive connections (fresh server) --------------------------
if want idle; then
echo "== idle connections: $IDLE_CONNECTIONS" >&2
rss_before=$(server_rss_kb)
idle_out=$work/idle.out
timeout 180 python3 "$here/idle_connections.py" --port "$SG_SERVER_PORT" \
  --connections "$IDLE_CONNECTIONS" --hold 6 >"$idle_out" 2>"$work/idle.err" &
idle_pid=$!
for _ in $(seq 1 1200); do
  grep -q '^open' "$idle_out" 2>/dev/null && break
  kill -0 "$idle_pid" 2>/dev/null || break
  sleep 0.1
done
sleep 2
rss_with=$(server_rss_kb)
wait "$idle_pid" || true
rss_after_close=$(server_rss_kb)
python3 - "$results/idle.json" "$rss_before" "$rss_with" "$rss_after_close" "$idle_out" "$work/idle.err" <<'PY'
import json, sys
out = dict(l.split() for l in open(sys.argv[5]) if len(l.split()) == 2)
json.dump({"rss_before_kb": int(sys.argv[2]), "rss_with_kb": int(sys.argv[3]),
           "rss_after_close_kb": int(sys.argv[4]), "opened": int(out.get("open", 0)),
           "alive": int(out.get("alive", 0)), "errors": open(sys.argv[6]).read()[-300:]},
          open(sys.argv[1], "w"))
PY
cat "$work/idle.err" >&2 || true
fi

# --- 3b. the ceiling and seatgate's reserve, interleaved ---------------------------
script_text=$work/reserve_seats.lua
sg_script_text reserve_seats >"$script_text"
sha_expected=$(sha1sum "$script_text" | cut -d' ' -f1)
server_has_it=$(rcli SCRIPT EXISTS "$sha_expected" | head -1)
sha=$(rcli -x SCRIPT LOAD <"$script_text")
[[ $sha == "$sha_expected" ]] || sg_die "SCRIPT LOAD returned $sha, expected $sha_expected"
fp=$(printf 'bench-fingerprint' | sha256sum | cut -d' ' -f1)

ceiling() {  # ceiling RUN: redis-benchmark EVALSHA reserve_seats on a fresh event
  local run=$1 ev="rb-ceiling-$run-$RANDOM" n=$RB_REQUESTS
  put_event "$ev" '{"name":"ceiling","currency":"EUR","status":"on_sale","hold_ttl_s":7200,"max_per_order":10,"max_per_user":10000,"zones":[{"id":"z","name":"Z","capacity":10000000,"price":4500}],"waiting_room":{"enabled":false}}'
  local p="sg:{e:$ev}:"
  # Every call is a distinct, successful reservation: random reservation id,
  # idempotency key and user (docs/redis-schema.md: KEYS as store/calls.h
  # builds them). redis-benchmark replaces each __rand_int__ independently,
  # below 2^31 (-r), so ids use two of them.
  # Since assigned seating: the event's three seat keys after the outbox, and
  # `seats`, `best` (empty: a general zone) after per_minute.
  local cmd=(EVALSHA "$sha" 10 "${p}ev" "${p}r" "${p}ix" "${p}out" "${p}seats" "${p}sh" "${p}sl"
             "${p}idem:rb:__rand_int__-__rand_int__-4000" "${p}pass:" "${p}rl:rb-__rand_int__"
             "$ev.__rand_int____rand_int__" "rb-__rand_int__" "z" "1" "$fp" "" "86400" "100" "0"
             "" "")
  if [[ $n == 0 ]]; then  # size the run to ~DURATION s from a short calibration
    local rps
    rps=$(timeout 60 redis-benchmark -s "$SG_REDIS_SOCK" -c "$CONNECTIONS" -n 20000 -r 1000000000 --csv "${cmd[@]}" |
          tail -1 | cut -d, -f2 | tr -d '"')
    n=$(python3 -c "print(max(20000, int(float('$rps') * $DURATION)))")
  fi
  local held_before held_after
  held_before=$(rcli HGET "${p}ev" n:held); held_before=${held_before:-0}
  local r0; r0=$(cpu_ticks "$SG_REDIS_PID")
  echo "== ceiling $run: redis-benchmark -c $CONNECTIONS -n $n EVALSHA reserve_seats" >&2
  timeout $((DURATION * 6 + 60)) redis-benchmark -s "$SG_REDIS_SOCK" -c "$CONNECTIONS" -n "$n" \
    -r 1000000000 --csv "${cmd[@]}" >"$results/ceiling-$run.csv"
  held_after=$(rcli HGET "${p}ev" n:held)
  cpu_json "$results/cpu-ceiling-$run.json" 0 0 "$r0" "$(cpu_ticks "$SG_REDIS_PID")"
  python3 - "$results/ceiling-$run.csv" "$results/ceiling-$run.json" "$n" "$held_before" "$held_after" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
head, vals = rows[0], rows[-1]
d = dict(zip(head, vals))
json.dump({"requests": int(sys.argv[3]), "rps": float(d["rps"]),
           "p50_ms": float(d.get("p50_latency_ms", "nan")), "p99_ms": float(d.get("p99_latency_ms", "nan")),
           "max_ms": float(d.get("max_latency_ms", "nan")),
           "reservations_made": int(sys.argv[5] or 0) - int(sys.argv[4] or 0)},
          open(sys.argv[2], "w"))
PY
}

ref_sha=$(rcli -x SCRIPT LOAD <"$here/reference_reserve.lua")
reference() {  # reference RUN PIPELINE: redis-benchmark EVALSHA reference_reserve.lua
  local run=$1 pipe=$2 p="ref:{$run-$2-$RANDOM}:" n=$RB_REQUESTS
  rcli HSET "${p}zone" available 2000000000 >/dev/null
  local cmd=(EVALSHA "$ref_sha" 4 "${p}idem:__rand_int__-__rand_int__" "${p}zone" "${p}holds" "${p}exp"
             "r-__rand_int__-__rand_int__" 1 600000)
  if [[ $n == 0 ]]; then
    local rps
    rps=$(timeout 60 redis-benchmark -s "$SG_REDIS_SOCK" -c "$CONNECTIONS" -P "$pipe" -n 20000 \
            -r 1000000000 --csv "${cmd[@]}" | tail -1 | cut -d, -f2 | tr -d '"')
    n=$(python3 -c "print(max(20000, int(float('$rps') * $DURATION)))")
  fi
  echo "== reference $run: redis-benchmark -c $CONNECTIONS -P $pipe -n $n EVALSHA reference_reserve" >&2
  timeout $((DURATION * 6 + 60)) redis-benchmark -s "$SG_REDIS_SOCK" -c "$CONNECTIONS" -P "$pipe" \
    -n "$n" -r 1000000000 --csv "${cmd[@]}" >"$results/reference-p$pipe-$run.csv"
  local made; made=$(rcli HLEN "${p}holds")
  python3 - "$results/reference-p$pipe-$run.csv" "$results/reference-p$pipe-$run.json" "$n" "$made" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
d = dict(zip(rows[0], rows[-1]))
json.dump({"requests": int(sys.argv[3]), "rps": float(d["rps"]),
           "p99_ms": float(d.get("p99_latency_ms", "nan")), "reservations_made": int(sys.argv[4] or 0)},
          open(sys.argv[2], "w"))
PY
  rcli DEL "${p}zone" "${p}holds" "${p}exp" >/dev/null
}

want reserve && for run in $(seq 1 "$RUNS"); do
  reference "$run" 16
  reference "$run" 1
  ceiling "$run"
  load "reserve-closed-$run" --scenario reserve --duration "$DURATION" --warmup "$WARMUP"
done

# --- 3c. open loop at a constant rate -------------------------------------------
want open && for rate in $RATES; do
  for run in $(seq 1 "$RUNS"); do
    load "reserve-open-$rate-$run" --scenario reserve --mode open --rate "$rate" \
      --duration "$DURATION" --warmup "$WARMUP"
  done
done

evalsha_ro_calls() {
  rcli INFO commandstats | awk -F'[=,]' '/^cmdstat_evalsha_ro:/ {print $2}' | tr -d '\r' | grep . || echo 0
}
stream_messages_sent() {  # the server's count of stream messages queued or written
  python3 - "$target" <<'PY'
import http.client, sys
host, port = sys.argv[1].rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port), timeout=10)
c.request("GET", "/metrics")
for line in c.getresponse().read().decode().splitlines():
    if line.startswith("seatgate_stream_messages_total "):
        print(int(float(line.split()[1])))
PY
}
flash_live() {  # flash_live RUN: the flash sale with STREAM_SUBSCRIBERS streams on its event
  local run=$1 ev="bench-flash-live-$1-$RANDOM"
  put_event "$ev" '{"name":"flash live","currency":"EUR","status":"on_sale","hold_ttl_s":600,"max_per_order":10,"max_per_user":10,"zones":[{"id":"z","name":"General admission","capacity":'"$FLASH_SEATS"',"price":4500}],"waiting_room":{"enabled":false}}'
  local out=$work/streams-$run.out rss0 sent0 sent1; rss0=$(server_rss_kb); sent0=$(stream_messages_sent)
  # The subscribers' own CPU is measured too: they share the server's cores.
  local subscriber=("$subscribers_bin")
  [[ $SUBSCRIBERS == python ]] && subscriber=(python3 "$here/stream_subscribers.py")
  timeout 400 "${subscriber[@]}" --port "$SG_SERVER_PORT" --event "$ev" \
    --streams "$STREAM_SUBSCRIBERS" --hold 200 >"$out" 2>"$work/streams-$run.err" &
  local spid=$!
  for _ in $(seq 1 1200); do
    grep -q '^open' "$out" 2>/dev/null && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  local rss1 reads0 t0 reads1 t1 rss2 sub0 sub1
  # The subscriber process itself (timeout's child).
  local sub_pid; sub_pid=$(pgrep -P "$spid" | head -1); sub_pid=${sub_pid:-$spid}
  rss1=$(server_rss_kb); reads0=$(evalsha_ro_calls); t0=$(date +%s.%N)
  sub0=$(cpu_ticks "$sub_pid" 2>/dev/null || echo 0)
  load "flash-live-$run" --scenario flash-sale --event "$ev" --no-setup --capacity "$FLASH_SEATS" \
    --users "$FLASH_USERS" --duration 120
  sub1=$(cpu_ticks "$sub_pid" 2>/dev/null || echo 0)
  reads1=$(evalsha_ro_calls); t1=$(date +%s.%N); rss2=$(server_rss_kb)
  sleep 1  # the sale's last changes go out (one interval) and are read before the count
  kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true
  sent1=$(stream_messages_sent)
  python3 - "$results/streams-$run.json" "$out" "$work/streams-$run.err" "$rss0" "$rss1" "$rss2" \
    "$reads0" "$reads1" "$sub0" "$sub1" "$sent0" "$sent1" "$t0" "$t1" <<'PY'
import json, os, sys
out = dict(l.split() for l in open(sys.argv[2]) if len(l.split()) == 2)
rss0, rss1, rss2, r0, r1, c0, c1, m0, m1 = (int(x) for x in sys.argv[4:13])
t0, t1 = float(sys.argv[13]), float(sys.argv[14])
# Every message the server sent should have been counted by the subscribers.
json.dump({"opened": int(out.get("open", 0)), "alive": int(out.get("alive", 0)),
           "messages": int(out.get("messages", 0)), "messages_sent": m1 - m0,
           "rss_before_kb": rss0, "rss_open_kb": rss1,
           "rss_end_kb": rss2, "availability_reads": r1 - r0, "seconds": t1 - t0,
           "reads_per_s": (r1 - r0) / (t1 - t0),
           "subscriber_cpu_s": (c1 - c0) / os.sysconf("SC_CLK_TCK"),
           "errors": open(sys.argv[3]).read()[-300:]},
          open(sys.argv[1], "w"))
PY
}

# --- 3d. the other scenarios ------------------------------------------------------
for run in $(seq 1 "$RUNS"); do
  if want other; then
    load "reserve-confirm-$run" --scenario reserve-confirm --duration "$DURATION" --warmup "$WARMUP"
    load "event-read-$run" --scenario event-read --duration "$DURATION" --warmup "$WARMUP"
  fi
  if want other || want streams; then
    load "flash-sale-$run" --scenario flash-sale --capacity "$FLASH_SEATS" --users "$FLASH_USERS" \
      --duration 120
  fi
  # The same sale on a seated arena (docs/seating.md): best-available buyers.
  want other && load "flash-seated-$run" --scenario flash-sale --seated --capacity "$SEATED_SEATS" \
    --users "$FLASH_USERS" --duration 120
  if want streams && [[ $STREAM_SUBSCRIBERS -gt 0 ]]; then flash_live "$run"; fi
done
# The seated arena's throughput beside the standing zone's (medians of RUNS).
python3 - "$results" <<'PY' >&2
import glob, json, statistics, sys
def med(kind, key):
    v = [json.load(open(p)).get(key) for p in sorted(glob.glob(sys.argv[1] + "/" + kind + "-[0-9]*.json"))]
    v = [x for x in v if isinstance(x, (int, float))]
    return statistics.median(v) if v else float("nan")
print("flash sale req/s: standing zone %.0f, seated arena (best available) %.0f" %
      (med("flash-sale", "throughput_rps"), med("flash-seated", "throughput_rps")))
PY

# --- 3e. Redis bytes per held reservation -----------------------------------------
if want memory; then
echo "== memory: $MEM_HOLDS holds" >&2
mem_event="bench-mem-$RANDOM"
put_event "$mem_event" '{"name":"memory","currency":"EUR","status":"on_sale","hold_ttl_s":7200,"max_per_order":10,"max_per_user":10,"zones":[{"id":"z","name":"Z","capacity":10000000,"price":4500}],"waiting_room":{"enabled":false}}'
used_before=$(rcli INFO memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
load "memory-holds" --scenario reserve --event "$mem_event" --no-setup --operations "$MEM_HOLDS" \
  --users "$MEM_HOLDS" --duration 120
used_after=$(rcli INFO memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
held=$(rcli HGET "sg:{e:$mem_event}:ev" n:held)
python3 - "$results/memory.json" "$used_before" "$used_after" "${held:-0}" "$MEM_HOLDS" <<'PY'
import json, sys
b, a, held, n = (int(x) for x in sys.argv[2:6])
json.dump({"used_memory_before": b, "used_memory_after": a, "holds": held, "requested": n,
           "bytes_per_hold": (a - b) / held if held else None}, open(sys.argv[1], "w"))
PY
fi

python3 - "$results/meta.json" <<PY
import json, sys
m = json.load(open(sys.argv[1]))
m["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
m["script_identical_to_server"] = "$server_has_it" == "1"
m["server_rss_end_kb"] = int("$(server_rss_kb)")
json.dump(m, open(sys.argv[1], "w"), indent=1)
PY

# --- 4. report -----------------------------------------------------------------
sg_stop_all
report=$work/report.md
python3 "$here/summarize.py" "$results" >"$report"
cat "$report"
if [[ $UPDATE_DOC == 1 ]]; then
  python3 "$here/summarize.py" --update "$root/docs/performance.md" "$report"
  echo "(written into docs/performance.md; raw results kept in $keep_results)" >&2
fi
