#!/usr/bin/env python3
"""bench/callgrind_confirm.py — Redis instructions per confirm, counted by
valgrind's callgrind (repeatable where wall-clock figures are not).

For each BATCH given: a redis-server under callgrind, N + 300 holds made by
reserve_seats, 300 confirms to warm up, then counting switched on only
around N confirms sent by `redis-cli --pipe` as confirm_reservation calls
of BATCH confirms each (1 = one call per confirm, the six-argument batch
form otherwise; docs/redis-schema.md). Prints "batch B: confirms N
ir/confirm I".

usage: bench/callgrind_confirm.py [BATCH ...]        (default: 1 8 32)
Settings (environment): N=2000, REV=<commit> (the scripts as of that commit;
batches need a commit whose confirm takes them), REDIS_SERVER=redis-server.
"""
import os, subprocess, sys, tempfile, time, re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
batches = [int(b) for b in sys.argv[1:]] or [1, 8, 32]
N = int(os.environ.get("N", "2000"))
REDIS = os.environ.get("REDIS_SERVER", "redis-server")
lua_dir = os.path.join(root, "lua")
if os.environ.get("REV"):
    lua_dir = tempfile.mkdtemp()
    os.makedirs(os.path.join(lua_dir, "lib"))
    for f in ("lib/prelude.lua", "lib/seats.lua", "reserve_seats.lua", "confirm_reservation.lua"):
        with open(os.path.join(lua_dir, f), "wb") as out:
            out.write(subprocess.run(["git", "-C", root, "show", os.environ["REV"] + ":lua/" + f],
                                     capture_output=True, check=True).stdout)

# The script as the server loads it (cmake/embed_lua.cmake): prelude, newline,
# script, each "--! use lib/<name>.lua" replaced by that library.
def text(name):
    def expand(t):
        out = []
        for line in t.split("\n"):
            m = re.match(r"^(\s*)--! use (lib/[a-z_]+\.lua)$", line)
            out.append(m.group(1) + open(os.path.join(lua_dir, m.group(2))).read() if m else line)
        return "\n".join(out)
    return expand(open(os.path.join(lua_dir, "lib/prelude.lua")).read()) + "\n" + expand(open(os.path.join(lua_dir, name + ".lua")).read())

def resp(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)

for B in batches:
    d = tempfile.mkdtemp()
    sock = d + "/r.sock"
    vg = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                           "--callgrind-out-file=" + d + "/cg.%p", REDIS, "--port", "0",
                           "--unixsocket", sock, "--dir", d, "--save", "", "--appendonly", "no"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cli = lambda *a, **k: subprocess.run(["redis-cli", "-s", sock] + list(a), capture_output=True, **k)
    for _ in range(200):
        if cli("ping").stdout.strip() == b"PONG": break
        time.sleep(0.2)
    pid = re.search(rb"process_id:(\d+)", cli("info", "server").stdout).group(1).decode()
    rsha = cli("-x", "SCRIPT", "LOAD", input=text("reserve_seats").encode()).stdout.strip().decode()
    csha = cli("-x", "SCRIPT", "LOAD", input=text("confirm_reservation").encode()).stdout.strip().decode()
    p = "sg:{e:cg}:"
    cli("HSET", p + "ev", "z:z:name", "Z", "z:z:seated", "0", "z:z:price", "4500", "z:z:capacity", "10000000",
        "z:z:available", "10000000", "z:z:held", "0", "z:z:sold", "0", "name", "cg", "currency", "EUR",
        "status", "on_sale", "hold_ttl_s", "7200", "max_per_order", "10", "max_per_user", "10000",
        "zones", "z", "wr", '{"enabled":false}', "wr_enabled", "0")
    fixed = [p + s for s in ("ev", "r", "ix", "out", "seats", "sh", "sl")]
    total = N + 300
    cmds = b"".join(resp(["EVALSHA", rsha, "10"] + fixed + [p + "idem:h%d" % i, p + "pass:", p + "rl:u%d" % i,
                          "cg.h%06d" % i, "u%d" % i, "z", "1", "fp", "", "86400", "100", "0", "", ""])
                    for i in range(total))
    subprocess.run(["redis-cli", "-s", sock, "--pipe"], input=cmds, capture_output=True)
    def confirms(lo, hi):
        out = []
        for s in range(lo, hi, B):
            ids = range(s, min(hi, s + B))
            keys = fixed + [p + "idem:c%d" % i for i in ids]
            args = []
            for i in ids: args += ["cg.h%06d" % i, "u%d" % i, "pay", "fpc", "86400", "16"]
            if B == 1: args = args[:5]
            out.append(resp(["EVALSHA", csha, str(len(keys))] + keys + args))
        return b"".join(out)
    subprocess.run(["redis-cli", "-s", sock, "--pipe"], input=confirms(0, 300), capture_output=True)
    c0 = int(cli("HGET", p + "ev", "n:confirmed").stdout.strip() or b"0")
    subprocess.run(["callgrind_control", "-z", pid], capture_output=True)
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True)
    r = subprocess.run(["redis-cli", "-s", sock, "--pipe"], input=confirms(300, total), capture_output=True)
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True)
    subprocess.run(["callgrind_control", "-d", pid], capture_output=True)
    time.sleep(0.5)
    f = sorted((os.path.join(d, x) for x in os.listdir(d) if x.startswith("cg.")), key=os.path.getmtime)[-1]
    ir = int(re.search(r"^totals: (\d+)", open(f).read(), re.M).group(1))
    c1 = int(cli("HGET", p + "ev", "n:confirmed").stdout.strip() or b"0")
    print("batch %d: confirms %d  ir/confirm %d" % (B, c1 - c0, ir // max(1, c1 - c0)), flush=True)
    cli("shutdown", "nosave")
    vg.wait()
