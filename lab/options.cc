#include "options.h"

#include <charconv>
#include <iostream>
#include <string_view>

namespace seatgate::lab {
namespace {

constexpr std::string_view k_usage = R"(usage: seatgate-lab [options]

Runs one seat sale against five double-booking strategies, each on a freshly
reset store, and prints what each costs and gets wrong (docs/strategies.md):
  none          read the seat, then write it; no lock (PostgreSQL)
  pessimistic   BEGIN; SELECT ... FOR UPDATE; UPDATE; COMMIT (PostgreSQL)
  optimistic    version column, UPDATE ... WHERE version = $v, retries (PostgreSQL)
  lock          Redis SET NX PX lock around read-then-write in PostgreSQL,
                released by a compare-and-delete Lua script
  lock-pause    the same, with a pause longer than the lock's TTL mid-write
  seatgate      seatgate-server over HTTP: one atomic Lua script per hold
                (each seat is a one-seat zone until assigned seating exists)
It starts PostgreSQL 15, redis-server and seatgate-server itself, on loopback.

workload:
  --events E             events (1)
  --seats S              seats per event (200)
  --hot H                the first H seats of each event are hot (20)
  --hot-percent P        share of buyers who want a hot seat, 0..100 (80)
  --buyers B             buyers, each trying to book one seat once (50000)
  --connections C        concurrent connections, one thread each, 1..512 (16)
  --seed N               workload seed (42)
  --think-us US          pause between read and write in the read-then-write
                         strategies; 0 = a thread yield (0)
strategies:
  --strategies LIST      comma-separated subset of the names above (all)
  --lock-ttl-ms MS       lock TTL of "lock" (2000)
  --lock-tries N         SET NX attempts before "lock not acquired" (3)
  --pause-ttl-ms MS      lock TTL of "lock-pause" (100)
  --pause-ms MS          injected pause of "lock-pause", > its TTL (150)
  --pause-percent P      share of "lock-pause" writes that pause (10)
  --optimistic-retries N retries after a version conflict (3)
  --server-threads N     seatgate-server --threads (2)
  --server-arg ARG       extra seatgate-server argument; repeat per word
  --pg-bin DIR           where initdb and pg_ctl are (/usr/lib/postgresql/15/bin)
output:
  --json FILE            write the results as JSON
  --svg FILE             write a bar chart (throughput, p99, double bookings)
  --quiet                no progress lines
  --check                exit 1 unless "none" double-books (re-run with a
                         longer --think-us, up to --check-tries times) and
                         pessimistic, optimistic, lock and seatgate never do
  --check-tries N        (5)
  -h, --help
)";

bool parse_uint(std::string_view v, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out) {
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || p != v.data() + v.size() || n < lo || n > hi) return false;
  out = n;
  return true;
}

std::vector<std::string> split(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto c = s.find(',');
    out.emplace_back(s.substr(0, c));
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& all_strategies() {
  static const std::vector<std::string> names = {"none", "pessimistic", "optimistic",
                                                 "lock", "lock-pause",  "seatgate"};
  return names;
}

std::optional<options> parse_options(int argc, char** argv, int& exit_code) {
  options o;
  exit_code = 2;
  const auto fail = [&](const std::string& why) -> std::optional<options> {
    std::cerr << "seatgate-lab: " << why << " (see --help)\n";
    return std::nullopt;
  };
  struct num {
    std::string_view flag;
    unsigned* target;
    std::uint64_t lo, hi;
  };
  const num nums[] = {
      {"--events", &o.events, 1, 1000},
      {"--seats", &o.seats, 1, 100000},
      {"--hot", &o.hot, 0, 100000},
      {"--hot-percent", &o.hot_percent, 0, 100},
      {"--buyers", &o.buyers, 1, 10000000},
      {"--connections", &o.connections, 1, 512},
      {"--think-us", &o.think_us, 0, 1000000},
      {"--lock-ttl-ms", &o.lock_ttl_ms, 1, 600000},
      {"--lock-tries", &o.lock_tries, 1, 100},
      {"--pause-ttl-ms", &o.pause_ttl_ms, 1, 60000},
      {"--pause-ms", &o.pause_ms, 0, 60000},
      {"--pause-percent", &o.pause_percent, 0, 100},
      {"--optimistic-retries", &o.optimistic_retries, 0, 100},
      {"--server-threads", &o.server_threads, 1, 64},
      {"--check-tries", &o.check_tries, 1, 20},
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << k_usage;
      exit_code = 0;
      return std::nullopt;
    }
    if (a == "--check") {
      o.check = true;
      continue;
    }
    if (a == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (i + 1 >= argc) return fail(std::string(a) + " needs a value or is unknown");
    const std::string_view v = argv[++i];
    bool done = false;
    for (const auto& n : nums) {
      if (a != n.flag) continue;
      std::uint64_t x = 0;
      if (!parse_uint(v, n.lo, n.hi, x))
        return fail(std::string(a) + " must be an integer in " + std::to_string(n.lo) + ".." +
                    std::to_string(n.hi));
      *n.target = static_cast<unsigned>(x);
      done = true;
    }
    if (done) continue;
    if (a == "--seed") {
      if (!parse_uint(v, 0, UINT64_MAX, o.seed)) return fail("--seed must be an integer");
    } else if (a == "--strategies") {
      o.strategies = split(v);
      for (const auto& s : o.strategies) {
        bool known = false;
        for (const auto& n : all_strategies()) known = known || n == s;
        if (!known) return fail("unknown strategy '" + s + "'");
      }
    } else if (a == "--server-arg") {
      o.server_args.emplace_back(v);
    } else if (a == "--pg-bin") {
      o.pg_bin = v;
    } else if (a == "--json") {
      o.json_path = v;
    } else if (a == "--svg") {
      o.svg_path = v;
    } else {
      return fail("unknown option " + std::string(a));
    }
  }
  if (o.hot > o.seats) return fail("--hot must not exceed --seats");
  if (o.pause_ms <= o.pause_ttl_ms && o.pause_percent > 0)
    return fail("--pause-ms must exceed --pause-ttl-ms: the pause is meant to outlive the lock");
  if (o.strategies.empty()) o.strategies = all_strategies();
  exit_code = 0;
  return o;
}

}  // namespace seatgate::lab
