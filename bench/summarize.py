#!/usr/bin/env python3
"""Turns a bench/run.sh results directory into the Markdown tables of
docs/performance.md.

  summarize.py RESULTS_DIR            print the tables
  summarize.py --update DOC REPORT    put REPORT between the results markers of DOC
"""
import glob
import json
import os
import statistics
import sys

BEGIN = "<!-- bench:results:begin (written by bench/run.sh) -->"
END = "<!-- bench:results:end -->"


def load_runs(d, prefix):
    runs = []
    for path in sorted(glob.glob(os.path.join(d, prefix + "-[0-9]*.json")),
                       key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0])):
        with open(path) as f:
            runs.append(json.load(f))
    return runs


def cpu(d, name):
    path = os.path.join(d, "cpu-" + name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None


def cpu_us(d, prefix, runs, who):
    """Median CPU microseconds per request of `who` over the runs."""
    out = []
    for i, r in enumerate(runs):
        c = cpu(d, "{}-{}".format(prefix, i + 1))
        n = r.get("responses_total") or r.get("requests")
        if who == "client":
            v = r.get("client_cpu_s")
        else:
            v = c and c.get(who + "_cpu_s")
        if v is not None and n:
            out.append(v * 1e6 / n)
    return med(out)


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def f0(v):
    return "–" if v is None else "{:,.0f}".format(v)


def f2(v):
    return "–" if v is None else "{:.2f}".format(v)


def f3(v):
    return "–" if v is None else "{:.3f}".format(v)


def statuses(run, kind=None):
    s = run["kinds"][kind]["statuses"] if kind else run["statuses"]
    return ", ".join("{} × {}".format(k, v) for k, v in sorted(s.items()))


def latency_row(name, runs, kind=None):
    def lat(r, p):
        src = r["kinds"][kind] if kind else r
        return src["latency_ms"][p]
    def rps(r):
        return r["kinds"][kind]["throughput_rps"] if kind else r["throughput_rps"]
    ps = ["p50", "p90", "p99", "p99.9", "max"]
    cells = [name, f0(med([rps(r) for r in runs]))] + [f3(med([lat(r, p) for r in runs])) for p in ps]
    # statuses of the median-throughput run
    mid = sorted(runs, key=rps)[len(runs) // 2]
    cells.append(statuses(mid, kind))
    return "| " + " | ".join(cells) + " |"


def stream_cpu_table(d, fs, live, streams, st):
    """Where the streams' cost goes, per run: the server's CPU per reserve
    request without and with the streams, the server CPU the streams added
    per message (CPU with streams less what the same number of requests cost
    without, over the messages), and the subscribers' own CPU (a load
    generator on the same cores, standing for browsers elsewhere)."""
    def p99(r):
        k = r.get("kinds", {}).get("reserve")
        return k and k["latency_ms"]["p99"]
    rows = ["| run | subscribers | reserve p99, ms (no streams → with) | "
            "server CPU per request, µs (no streams → with) | "
            "server CPU per message, µs | subscriber CPU per message, µs | "
            "messages sent / received |",
            "|---|---|---|---|---:|---:|---|"]
    for i, sx in enumerate(streams):
        c0, c1 = cpu(d, "flash-sale-{}".format(i + 1)), cpu(d, "flash-live-{}".format(i + 1))
        n0 = fs[i].get("requests") if i < len(fs) else None
        n1 = live[i].get("requests") if i < len(live) else None
        msgs, sub = sx.get("messages"), sx.get("subscriber_cpu_s")
        per0 = c0["server_cpu_s"] / n0 if c0 and n0 else None
        per1 = c1["server_cpu_s"] / n1 if c1 and n1 else None
        per_msg = (c1["server_cpu_s"] - per0 * n1) / msgs if per0 is not None and c1 and msgs else None
        rows.append("| {} | {} | {} → {} | {} → {} | {} | {} | {:,} / {:,} |".format(
            i + 1, st.get("subscribers", "python"),
            f0(p99(fs[i]) if i < len(fs) else None), f0(p99(live[i]) if i < len(live) else None),
            f0(per0 and per0 * 1e6), f0(per1 and per1 * 1e6),
            f2(per_msg and per_msg * 1e6), f2(sub * 1e6 / msgs) if sub is not None and msgs else "–",
            sx.get("messages_sent", 0), msgs or 0))
    return "\n".join(rows) + "\n"


def report(d):
    out = []
    meta = json.load(open(os.path.join(d, "meta.json")))
    st = meta["settings"]
    out.append("### Machine and conditions\n")
    out.append("- CPU: {} × {} (`nproc` = {})".format(meta["nproc"], meta["cpu_model"], meta["nproc"]))
    out.append("- kernel {}, memory {}; {}; {}".format(meta["kernel"], meta["mem_total"], meta["redis"], meta["compiler"]))
    out.append("- run {} at commit `{}`; load average at start {} / at end {}".format(
        meta["date_utc"], meta["git"], " ".join(meta["loadavg_start"]), " ".join(meta.get("loadavg_end", ["?"]))))
    out.append("- redis-server, seatgate-server (`--threads {}`{}), seatgate-load (`--threads {}`) and "
               "redis-benchmark all share this machine; Redis on a Unix socket, no persistence; "
               "HTTP on 127.0.0.1.".format(st["server_threads"],
                                          " " + st["server_args"] if st["server_args"] else "",
                                          st["load_threads"]))
    out.append("- every figure: median of {} runs of {} s (after {} s warm-up), {} connections, "
               "unless said otherwise.\n".format(st["runs"], st["duration_s"], st["warmup_s"], st["connections"]))

    ceil = load_runs(d, "ceiling")
    http = load_runs(d, "reserve-closed")
    rates = st.get("rates") or [st.get("rate")]
    openl = {rate: load_runs(d, "reserve-open-{}".format(rate)) for rate in rates}
    rc = load_runs(d, "reserve-confirm")
    rd = load_runs(d, "event-read")
    fs = load_runs(d, "flash-sale")
    ratio = None
    if ceil and http:
        c_med = med([r["rps"] for r in ceil])
        h_med = med([r["throughput_rps"] for r in http])
        ratio = h_med / c_med if c_med else None
        out.append("### Reserve: seatgate over HTTP vs. the Redis ceiling\n")
        out.append("| | " + " | ".join("run {}".format(i + 1) for i in range(len(ceil))) + " | median |")
        out.append("|---|" + "---:|" * (len(ceil) + 1))
        out.append("| redis-benchmark `EVALSHA reserve_seats`, req/s | " +
                   " | ".join(f0(r["rps"]) for r in ceil) + " | **" + f0(c_med) + "** |")
        out.append("| seatgate-load `POST /v1/reservations`, req/s | " +
                   " | ".join(f0(r["throughput_rps"]) for r in http) + " | **" + f0(h_med) + "** |")
        out.append("| redis-benchmark p99, ms | " + " | ".join(f3(r["p99_ms"]) for r in ceil) +
                   " | " + f3(med([r["p99_ms"] for r in ceil])) + " |")
        out.append("| seatgate p99, ms | " + " | ".join(f3(r["latency_ms"]["p99"]) for r in http) +
                   " | " + f3(med([r["latency_ms"]["p99"] for r in http])) + " |")
        out.append("")
        ceil_redis = med([(cpu(d, "ceiling-{}".format(i + 1)) or {}).get("redis_cpu_s", 0) * 1e6 / r["reservations_made"]
                          for i, r in enumerate(ceil) if r["reservations_made"]])
        out.append("CPU time per reservation (median; from `/proc/<pid>/stat`, warm-up included): "
                   "redis-benchmark run — Redis {} µs; HTTP run — Redis {} µs, seatgate-server {} µs, "
                   "seatgate-load {} µs.\n".format(
                       f0(ceil_redis), f0(cpu_us(d, "reserve-closed", http, "redis")),
                       f0(cpu_us(d, "reserve-closed", http, "server")), f0(cpu_us(d, "reserve-closed", http, "client"))))
        if "script_identical_to_server" in meta:
            out.append("The script redis-benchmark calls is {} the one seatgate-server loaded (SHA1 check).\n".format(
                "byte for byte" if meta["script_identical_to_server"] else "**not** (SHA1 differs from)"))
        out.append("**Ratio seatgate / ceiling: {}** (same concurrency, {} connections). "
                   "Reservations made by redis-benchmark per run: {}.\n".format(
                       f2(ratio), st["connections"], ", ".join(f0(r["reservations_made"]) for r in ceil)))

    ref16 = load_runs(d, "reference-p16")
    ref1 = load_runs(d, "reference-p1")
    if (ref16 or ref1) and http:
        h_med = med([r["throughput_rps"] for r in http])
        out.append("### Reserve: seatgate over HTTP vs. the minimal reference script\n")
        out.append("`bench/reference_reserve.lua` does only what any reservation must: check the "
                   "idempotency key, check and take the seats, write the hold, index its expiry, "
                   "record the key. redis-benchmark calls it on the same Redis, interleaved with "
                   "the runs above.\n")
        n = max(len(ref16), len(ref1), len(http))
        out.append("| | " + " | ".join("run {}".format(i + 1) for i in range(n)) + " | median | seatgate / this |")
        out.append("|---|" + "---:|" * (n + 2))
        for name, runs in (("reference `-P 16`", ref16), ("reference `-P 1`", ref1)):
            if runs:
                m = med([r["rps"] for r in runs])
                out.append("| {}, req/s | ".format(name) + " | ".join(f0(r["rps"]) for r in runs) +
                           " | **" + f0(m) + "** | **" + f2(h_med / m if m else None) + "** |")
        out.append("| seatgate `POST /v1/reservations`, req/s | " +
                   " | ".join(f0(r["throughput_rps"]) for r in http) + " | **" + f0(h_med) + "** | |")
        out.append("")

    out.append("### Latency by scenario\n")
    out.append("| scenario | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | statuses (median run) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---|")
    if http:
        out.append(latency_row("reserve, closed loop", http, "reserve"))
    for rate, runs in openl.items():
        if runs:
            out.append(latency_row("reserve, open loop {:,}/s".format(int(rate)), runs, "reserve"))
    if rc:
        out.append(latency_row("reserve-confirm: reserve", rc, "reserve"))
        out.append(latency_row("reserve-confirm: confirm", rc, "confirm"))
    if rd:
        out.append(latency_row("event read `GET /v1/events/{id}`", rd, "event-read"))
    out.append("")
    out.append("Latency is measured from the moment a request is written (closed loop) or from its "
               "intended start on the constant-rate schedule (open loop), so queueing in the client "
               "counts; percentiles are medians over runs of each run's percentile.\n")

    if fs:
        out.append("### Flash sale: {:,} seats, {:,} users, {} connections\n".format(
            st["flash_seats"], st["flash_users"], st["connections"]))
        out.append("| run | sold out after (s) | first `sold_out` (s) | reserve statuses | audit | invariant |")
        out.append("|---|---:|---:|---|---|---|")
        for i, r in enumerate(fs):
            f = r.get("flash_sale", {})
            out.append("| {} | {} | {} | {} | {} | {} |".format(
                i + 1, f3(f.get("sold_out_s")), f3(f.get("first_sold_out_s")),
                statuses(r, "reserve") if "reserve" in r["kinds"] else "–",
                f.get("audit_summary", "–"), "OK" if f.get("invariant_ok") else "**VIOLATED**"))
        out.append("\nMedian time to sell out: **{} s**.\n".format(
            f3(med([r.get("flash_sale", {}).get("sold_out_s") for r in fs]))))

    seated = load_runs(d, "flash-seated")
    if seated and fs:
        out.append("### Seated flash sale: {:,}-seat arena, best-available buyers\n".format(
            st.get("seated_seats", st["flash_seats"])))
        out.append("| run | reserve req/s (standing zone → seated) | sold out after (s) | audit | invariant |")
        out.append("|---|---|---:|---|---|")
        for i, r in enumerate(seated):
            f = r.get("flash_sale", {})
            b = fs[i]["throughput_rps"] if i < len(fs) else None
            out.append("| {} | {} → {} | {} | {} | {} |".format(
                i + 1, f0(b), f0(r["throughput_rps"]), f3(f.get("sold_out_s")),
                f.get("audit_summary", "–"), "OK" if f.get("invariant_ok") else "**VIOLATED**"))
        out.append("")

    live = load_runs(d, "flash-live")
    streams = load_runs(d, "streams")
    if live and streams and fs:
        base = med([r["throughput_rps"] for r in fs])
        with_s = med([r["throughput_rps"] for r in live])
        out.append("### Flash sale with {:,} live-availability streams open\n".format(st.get("stream_subscribers", 0)))
        out.append("| run | streams open | reserve req/s (no streams → with) | sold out after (s) | "
                   "availability reads/s in Redis | server RSS kB (before → streams open → end) | invariant |")
        out.append("|---|---:|---|---:|---:|---|---|")
        for i, (r, sx) in enumerate(zip(live, streams)):
            f = r.get("flash_sale", {})
            b = fs[i]["throughput_rps"] if i < len(fs) else None
            out.append("| {} | {:,} | {} → {} | {} | {} | {:,} → {:,} → {:,} | {} |".format(
                i + 1, sx["opened"], f0(b), f0(r["throughput_rps"]), f3(f.get("sold_out_s")),
                f2(sx["reads_per_s"]), sx["rss_before_kb"], sx["rss_open_kb"], sx["rss_end_kb"],
                "OK" if f.get("invariant_ok") else "**VIOLATED**"))
        cost = 1 - with_s / base if base else None
        out.append("\nThroughput cost of the streams (median vs. median of the runs without): "
                   "**{}%**.\n".format(f0(cost * 100) if cost is not None else "–"))
        if any("subscriber_cpu_s" in sx for sx in streams):
            out.append(stream_cpu_table(d, fs, live, streams, st))

    out.append("### Memory\n")
    idle_p = os.path.join(d, "idle.json")
    if os.path.exists(idle_p):
        i = json.load(open(idle_p))
        per = (i["rss_with_kb"] - i["rss_before_kb"]) * 1024 / i["opened"] if i["opened"] else None
        out.append("- seatgate-server RSS: {:,} kB fresh; **{:,} kB with {:,} idle keep-alive connections** "
                   "({} still open when measured) — about {} bytes per connection; {:,} kB after they closed."
                   .format(i["rss_before_kb"], i["rss_with_kb"], i["opened"], i["alive"], f0(per),
                           i["rss_after_close_kb"]))
        if i.get("errors"):
            out.append("  (client: {})".format(i["errors"].strip()))
    mem_p = os.path.join(d, "memory.json")
    if os.path.exists(mem_p):
        m = json.load(open(mem_p))
        out.append("- Redis: used_memory grew by {:,} bytes for {:,} held reservations (one per user): "
                   "**{} bytes per hold**, counting the reservation hash, its `holds` and per-user zset "
                   "entries, the user's `used` hash and the 24 h idempotency record.".format(
                       m["used_memory_after"] - m["used_memory_before"], m["holds"], f0(m["bytes_per_hold"])))
    out.append("")

    out.append("### Against the targets\n")
    out.append("| target | measured | |")
    out.append("|---|---:|---|")
    if http and ref16:
        m = med([r["rps"] for r in ref16])
        v = med([r["throughput_rps"] for r in http]) / m if m else None
        out.append("| HTTP reserve, closed loop ≥ 1.0× the reference `-P 16` | {}× | {} |".format(
            f2(v), "met" if v is not None and v >= 1.0 else "**not met**"))
    if http and ref1:
        m = med([r["rps"] for r in ref1])
        v = med([r["throughput_rps"] for r in http]) / m if m else None
        out.append("| (for scale) HTTP reserve vs. the reference `-P 1` | {}× | |".format(f2(v)))
    if openl.get(10000):
        runs = openl[10000]
        v = med([r["kinds"]["reserve"]["latency_ms"]["p99"] for r in runs])
        kept = min(r["throughput_rps"] for r in runs) >= 0.95 * 10000
        out.append("| p99 ≤ 2 ms at a constant 10,000/s (open loop) | {} ms{} | {} |".format(
            f3(v), "" if kept else " (rate not kept)", "met" if v <= 2 and kept else "**not met**"))
    if fs:
        ok = all(r.get("flash_sale", {}).get("invariant_ok") for r in fs)
        out.append("| flash sale {:,} seats / {:,} buyers sold out, invariant intact | {} s | {} |".format(
            st["flash_seats"], st["flash_users"],
            f3(med([r.get("flash_sale", {}).get("sold_out_s") for r in fs])), "met" if ok else "**VIOLATED**"))
    if live and streams and fs:
        base = med([r["throughput_rps"] for r in fs])
        cost = 1 - med([r["throughput_rps"] for r in live]) / base if base else None
        out.append("| {:,} live streams cost ≤ 10% of reserve throughput | {}% | {} |".format(
            st.get("stream_subscribers", 0), f0(cost * 100) if cost is not None else "–",
            "met" if cost is not None and cost <= 0.10 else "**not met**"))
    out.append("")
    out.append("Redis instructions per reservation (callgrind, `bench/callgrind.sh`) are counted "
               "apart from this run; see \"Instructions per reservation\" below.\n")
    return "\n".join(out)


def update(doc, report_path):
    text = open(doc).read() if os.path.exists(doc) else "# Performance\n"
    body = open(report_path).read().rstrip() + "\n"
    block = BEGIN + "\n\n" + body + "\n" + END
    if BEGIN in text and END in text:
        pre, rest = text.split(BEGIN, 1)
        post = rest.split(END, 1)[1]
        text = pre + block + post
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    open(doc, "w").write(text)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--update":
        update(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2:
        print(report(sys.argv[1]))
    else:
        sys.exit(__doc__)
