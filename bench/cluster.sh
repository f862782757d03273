#!/usr/bin/env bash
# bench/cluster.sh: aggregate reserve throughput with three events on a Redis
# Cluster of 3 masters (no replicas) against the same three events on one
# Redis, measured side by side in one run (interleaved RUNS times), with the
# server's CPU per request (the routing layer's cost is the difference).
#
# Each side: a fresh seatgate-server (--threads SERVER_THREADS), three
# seatgate-load processes at once (closed loop, CONNECTIONS each), one per
# event; on the cluster each event's hash tag lands on a different master.
# Everything on loopback; every process is stopped on exit.
#
# Settings (environment): RUNS=2 DURATION=8 WARMUP=2 CONNECTIONS=16
# SERVER_THREADS=2 BUILD_DIR=build (needs seatgate-server and seatgate-load)
# SCENARIO=reserve (or reserve-confirm) REPLICAS=0 (1: a replica per master,
# so every confirmation waits for it: the cost of WAIT).
# Prints a Markdown table (docs/performance.md, "Redis Cluster").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/bench
source "$here/lib.sh"

RUNS=${RUNS:-2}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-16}
SERVER_THREADS=${SERVER_THREADS:-2}
SCENARIO=${SCENARIO:-reserve}
REPLICAS=${REPLICAS:-0}
BUILD_DIR=${BUILD_DIR:-$root/build}
server_bin=$BUILD_DIR/server/seatgate-server
load_bin=$BUILD_DIR/bench/seatgate-load
for f in "$server_bin" "$load_bin"; do [[ -x $f ]] || sg_die "$f is not built"; done
for tool in redis-server redis-cli python3; do
  command -v "$tool" >/dev/null || sg_die "$tool is not installed"
done

work=$(mktemp -d /tmp/seatgate-bench-cluster-XXXXXX)
cluster_pids=()
cleanup() {
  sg_stop_all
  local p
  for p in "${cluster_pids[@]}"; do sg_stop_pid "$p"; done
  rm -rf "$work"
}
trap cleanup EXIT
export SEATGATE_JWT_SECRET="bench-secret-$RANDOM$RANDOM-0123456789abcdef"
export SEATGATE_ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM-0123456789"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- a cluster of 3 masters (and REPLICAS replicas each) ---------------------
ports=()
for i in $(seq 1 $((3 * (1 + REPLICAS)))); do
  p=$(free_port); b=$(free_port); mkdir -p "$work/node-$p"
  redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-port "$b" \
    --cluster-config-file "$work/node-$p/nodes.conf" --dir "$work/node-$p" --save '' \
    --appendonly no --daemonize no >"$work/node-$p/redis.log" 2>&1 &
  cluster_pids+=($!); ports+=("$p")
done
for p in "${ports[@]}"; do
  for _ in $(seq 1 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.05; done
done
timeout 60 redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") \
  --cluster-replicas "$REPLICAS" --cluster-yes >"$work/create.log" 2>&1 || sg_die "cluster create failed"
for _ in $(seq 1 200); do
  ok=1
  for p in "${ports[@]}"; do redis-cli -p "$p" cluster info | grep -q cluster_state:ok || ok=0; done
  ((ok)) && break
  sleep 0.1
done
((ok)) || sg_die "cluster did not reach cluster_state:ok"
cluster_url="redis+cluster://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}"

# The slot ranges each master serves ("a-b" words of its CLUSTER NODES line).
declare -A ranges
masters=()
for p in "${ports[@]}"; do
  ranges[$p]=$(redis-cli -p "$p" cluster nodes | awk '/myself/ {for (i = 9; i <= NF; i++) print $i}')
  [[ -n ${ranges[$p]} ]] && masters+=("$p")
done
if ((REPLICAS > 0)); then  # every master has its replica in sync (WAIT counts on it)
  for p in "${masters[@]}"; do
    for _ in $(seq 1 200); do
      redis-cli -p "$p" info replication | grep -q "connected_slaves:$REPLICAS" && break
      sleep 0.1
    done
  done
fi
serves() {  # serves PORT SLOT
  local r
  for r in ${ranges[$1]}; do
    local a=${r%-*} b=${r#*-}
    ((a <= $2 && $2 <= b)) && return 0
  done
  return 1
}
place_events() {  # place_events RUN: one event id per master into events[]
  events=()
  local p n id slot
  for p in "${masters[@]}"; do
    for n in $(seq 1 2000); do
      id="bench-$1-$n"
      slot=$(redis-cli -p "${ports[0]}" cluster keyslot "e:$id")
      if serves "$p" "$slot"; then events+=("$id"); break; fi
    done
  done
  ((${#events[@]} == 3)) || sg_die "could not place one event per master"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_side() {  # run_side NAME RUN URL|"" REDIS_PIDS...: prints one JSON line
  local name=$1 run=$2 url=$3; shift 3
  local dir=$work/$name-$run; mkdir -p "$dir"
  if [[ -n $url ]]; then
    SG_REDIS_SOCK="" sg_start_server "$server_bin" "$dir" --threads "$SERVER_THREADS" \
      --redis-url "$url" --no-access-log --max-connections-per-ip 0 \
      --reservations-per-user-per-minute 0
  else
    sg_start_server "$server_bin" "$dir" --threads "$SERVER_THREADS" --no-access-log \
      --max-connections-per-ip 0 --reservations-per-user-per-minute 0
  fi
  local s0 r0=0 r1=0 p pids=()
  s0=$(cpu_ticks "$SG_SERVER_PID")
  for p in "$@"; do r0=$((r0 + $(cpu_ticks "$p"))); done
  local i=0
  for ev in "${events[@]}"; do
    timeout $((DURATION * 4 + WARMUP + 60)) "$load_bin" --target "127.0.0.1:$SG_SERVER_PORT" \
      --scenario "$SCENARIO" --event "$ev" --capacity 10000000 --users 100000 \
      --hold-ttl 7200 --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
      --quiet --json "$dir/load-$i.json" >"$dir/load-$i.txt" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  for p in "${pids[@]}"; do wait "$p" || sg_die "seatgate-load failed: $(cat "$dir"/load-*.txt)"; done
  local s1; s1=$(cpu_ticks "$SG_SERVER_PID")
  for p in "$@"; do r1=$((r1 + $(cpu_ticks "$p"))); done
  sg_stop_server
  python3 - "$name" "$s0" "$s1" "$r0" "$r1" "$dir"/load-*.json <<'PY'
import json, os, sys
name, s0, s1, r0, r1 = sys.argv[1], *map(int, sys.argv[2:6])
loads = [json.load(open(f)) for f in sys.argv[6:]]
t = os.sysconf("SC_CLK_TCK")
ok = sum(sum(n for s, n in l["statuses"].items() if s.startswith("2")) for l in loads)
reqs = sum(l["requests"] for l in loads)
print(json.dumps({"side": name, "rps": sum(l["throughput_rps"] for l in loads), "requests": reqs,
                  "ok": ok, "p99_ms": max(l["latency_ms"]["p99"] for l in loads),
                  "server_us_per_req": (s1 - s0) / t / max(reqs, 1) * 1e6,
                  "redis_us_per_req": (r1 - r0) / t / max(reqs, 1) * 1e6}))
PY
}

# Fresh event ids every run (the cluster keeps its data; the single Redis
# is new each run), the same ids on both sides.
results=$work/results.jsonl
for run in $(seq 1 "$RUNS"); do
  place_events "$run"
  mkdir -p "$work/single-$run.redis"
  sg_start_redis "$work/single-$run.redis"
  run_side single "$run" "" "$SG_REDIS_PID" >>"$results"
  sg_stop_redis
  run_side cluster "$run" "$cluster_url" "${cluster_pids[@]}" >>"$results"
done

python3 - "$results" "$DURATION" "$CONNECTIONS" "$SERVER_THREADS" "$SCENARIO" "$REPLICAS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("%s, 3 events x %s connections, %s s, server --threads %s, replicas per master %s, "
      "median of %d runs:\n" % (sys.argv[5], sys.argv[3], sys.argv[2], sys.argv[4], sys.argv[6],
                               len(rows) // 2))
print("| Redis | requests/s | 2xx % | p99 ms | server CPU µs/request | Redis CPU µs/request |")
print("|---|---:|---:|---:|---:|---:|")
for side, label in (("single", "one Redis"), ("cluster", "Cluster, 3 masters")):
    r = [x for x in rows if x["side"] == side]
    m = lambda k: statistics.median(x[k] for x in r)
    ok = 100.0 * sum(x["ok"] for x in r) / max(1, sum(x["requests"] for x in r))
    print("| %s | %.0f | %.1f | %.1f | %.1f | %.1f |" % (label, m("rps"), ok, m("p99_ms"),
          m("server_us_per_req"), m("redis_us_per_req")))
PY
