#!/usr/bin/env python3
"""Opens N live-availability streams (GET /v1/events/<id>/stream) to
seatgate-server and keeps reading them, so bench/run.sh can measure what
fan-out costs while a sale runs.

Prints "open <n>" once every stream has answered, then, when --hold seconds
have passed or on SIGTERM, "alive <n>" (streams still open) and "messages <n>" (SSE
messages received by all streams) before exiting."""
import argparse
import asyncio
import resource
import signal
import sys


async def one(host, port, path, sem, streams, failures, counts):
    async with sem:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            writer.write(("GET %s HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
                          % path).encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            if not head.startswith(b"HTTP/1.1 200"):
                failures.append(head.split(b"\r\n", 1)[0].decode(errors="replace"))
                writer.close()
                return
            streams.append((reader, writer))
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            failures.append(type(e).__name__ + ": " + str(e))
            return
    # Read for as long as the stream lasts; count messages ("event:" lines).
    try:
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            counts[0] += chunk.count(b"\nevent: ")
    except OSError:
        pass


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--event", required=True)
    ap.add_argument("--streams", type=int, default=10000)
    ap.add_argument("--hold", type=float, default=30.0)
    ap.add_argument("--open-timeout", type=float, default=90.0)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, a.streams + 256) if hard != resource.RLIM_INFINITY else a.streams + 256
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    streams, failures, counts = [], [], [0]
    sem = asyncio.Semaphore(256)
    path = "/v1/events/%s/stream" % a.event
    tasks = [asyncio.create_task(one(a.host, a.port, path, sem, streams, failures, counts))
             for _ in range(a.streams)]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + a.open_timeout
    while len(streams) + len(failures) < a.streams and loop.time() < deadline:
        await asyncio.sleep(0.1)
    print("open %d" % len(streams), flush=True)
    if failures:
        print("failed %d (first: %s)" % (len(failures), failures[0]), file=sys.stderr, flush=True)
    # Until --hold has passed or bench/run.sh sends SIGTERM (its sale is over).
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), a.hold)
    except asyncio.TimeoutError:
        pass
    print("alive %d" % sum(1 for r, w in streams if not r.at_eof() and not w.is_closing()),
          flush=True)
    print("messages %d" % counts[0], flush=True)
    for _, w in streams:
        w.close()
    for t in tasks:
        t.cancel()


if __name__ == "__main__":
    asyncio.run(main())
