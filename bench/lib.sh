# Shared by bench/run.sh and bench/smoke_test.sh (sourced, not run):
# start a private redis-server and seatgate-server, and stop them.
# Everything on loopback / a Unix socket in a temporary directory.

SG_REDIS_PID=""
SG_SERVER_PID=""

sg_die() { echo "bench: $*" >&2; exit 1; }

# sg_script_text NAME [SHOW]: the text the server loads for lua/NAME.lua,
# byte for byte as cmake/embed_lua.cmake builds it: the prelude, a newline,
# the script, each "--! use lib/<name>.lua" replaced by that library's text
# (the directive's own newline stays). SHOW prints lua/<path> (default: this
# checkout's file), so a caller can read another commit's scripts.
sg_lua_cat() { cat "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lua/$1"; }
sg_expand_uses() {
  local show=$1 line
  while IFS= read -r line; do
    if [[ $line =~ ^([[:space:]]*)--!\ use\ (lib/[a-z_]+\.lua)$ ]]; then
      printf '%s' "${BASH_REMATCH[1]}"
      "$show" "${BASH_REMATCH[2]}"
      printf '\n'
    else
      printf '%s\n' "$line"
    fi
  done
}
sg_script_text() {
  local name=$1 show=${2:-sg_lua_cat}
  "$show" lib/prelude.lua | sg_expand_uses "$show"
  printf '\n'
  "$show" "$name.lua" | sg_expand_uses "$show"
}

# sg_start_redis DIR [extra redis-server args...]: Unix socket DIR/redis.sock,
# no TCP port, no persistence unless the extra args turn it on.
sg_start_redis() {
  local dir=$1; shift
  SG_REDIS_SOCK=$dir/redis.sock
  redis-server --port 0 --unixsocket "$SG_REDIS_SOCK" --unixsocketperm 700 \
    --dir "$dir" --save '' --appendonly no --daemonize no "$@" >"$dir/redis.log" 2>&1 &
  SG_REDIS_PID=$!
  local i
  for i in $(seq 1 100); do
    if redis-cli -s "$SG_REDIS_SOCK" ping >/dev/null 2>&1; then return 0; fi
    kill -0 "$SG_REDIS_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$dir/redis.log" >&2
  sg_die "redis-server did not start"
}

# sg_start_server BIN DIR [extra server args...]: listens on 127.0.0.1:<free
# port>, on sg_start_redis's Redis (or, with SG_REDIS_SOCK empty, its embedded
# one); sets SG_SERVER_PORT once the server logged "ready". The rate limits
# are off (the load comes from one address and few users, far above them);
# extra args may turn them on again.
sg_start_server() {
  local bin=$1 dir=$2; shift 2
  SG_SERVER_LOG=$dir/server.log
  "$bin" --listen 127.0.0.1:0 ${SG_REDIS_SOCK:+--redis-url "unix://$SG_REDIS_SOCK"} \
    --user-rate-limit 0 --ip-rate-limit 0 "$@" >"$SG_SERVER_LOG" 2>&1 &
  SG_SERVER_PID=$!
  local i
  SG_SERVER_PORT=""
  for i in $(seq 1 400); do
    if [[ -z $SG_SERVER_PORT ]]; then
      SG_SERVER_PORT=$(grep -m1 '"msg":"listening"' "$SG_SERVER_LOG" 2>/dev/null |
        sed -n 's/.*"port":\([0-9]*\).*/\1/p' || true)
    fi
    if [[ -n $SG_SERVER_PORT ]] && grep -q '"msg":"ready"' "$SG_SERVER_LOG" 2>/dev/null; then
      return 0
    fi
    kill -0 "$SG_SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  tail -20 "$SG_SERVER_LOG" >&2
  sg_die "seatgate-server did not become ready"
}

# Stops a process we started: SIGTERM, then SIGKILL after ~10 s.
sg_stop_pid() {
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

sg_stop_server() { sg_stop_pid "$SG_SERVER_PID"; SG_SERVER_PID=""; }
sg_stop_redis() { sg_stop_pid "$SG_REDIS_PID"; SG_REDIS_PID=""; }
sg_stop_all() { sg_stop_server; sg_stop_redis; }
