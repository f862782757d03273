#!/usr/bin/env python3
"""Opens N keep-alive connections to seatgate-server, sends one GET /healthz
on each, then leaves them idle for --hold seconds so the server's memory can
be measured (bench/run.sh reads VmRSS meanwhile).

Prints "open <n>" once every connection has had its answer, then
"alive <n>" (connections the server still holds open) before exiting."""
import argparse
import asyncio
import resource
import sys


async def one(host, port, sem, conns, failures):
    async with sem:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await asyncio.wait_for(reader.readexactly(length), 10)
            if not head.startswith(b"HTTP/1.1 200"):
                failures.append(head.split(b"\r\n", 1)[0].decode(errors="replace"))
            conns.append((reader, writer))
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            failures.append(type(e).__name__ + ": " + str(e))


def still_open(reader, writer):
    # The loop kept reading while we slept: a close by the server is an EOF.
    return not reader.at_eof() and not writer.is_closing()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--hold", type=float, default=5.0)
    ap.add_argument("--open-timeout", type=float, default=60.0)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, a.connections + 256) if hard != resource.RLIM_INFINITY else a.connections + 256
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    conns, failures = [], []
    sem = asyncio.Semaphore(256)
    tasks = [one(a.host, a.port, sem, conns, failures) for _ in range(a.connections)]
    await asyncio.wait_for(asyncio.gather(*tasks), a.open_timeout)
    print("open %d" % len(conns), flush=True)
    if failures:
        print("failed %d (first: %s)" % (len(failures), failures[0]), file=sys.stderr, flush=True)
    await asyncio.sleep(a.hold)
    print("alive %d" % sum(1 for r, w in conns if still_open(r, w)), flush=True)
    for _, w in conns:
        w.close()


if __name__ == "__main__":
    asyncio.run(main())
