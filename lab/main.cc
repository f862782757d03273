// seatgate-lab: the same seat sale against five double-booking strategies
// (docs/strategies.md). Starts PostgreSQL 15 and redis-server (and, for the
// last strategy, seatgate-server) on loopback in temporary directories and
// stops them after.
#include "options.h"
#include "pg.h"
#include "postgres_server.h"
#include "report.h"
#include "runner.h"
#include "strategies.h"
#include "workload.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

namespace seatgate::lab {
namespace {

bool is_pg(const std::string& name) { return name != "seatgate"; }

std::string redis_version() {
  std::string out;
  if (FILE* p = ::popen("redis-server --version 2>/dev/null", "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  const auto v = out.find("v=");
  return v == std::string::npos ? "?" : out.substr(v + 2, out.find(' ', v) - v - 2);
}

std::unique_ptr<strategy> make(const std::string& name, const options& o,
                               test::postgres_server* pg) {
  if (name == "none") return make_none(o, *pg);
  if (name == "pessimistic") return make_pessimistic(o, *pg);
  if (name == "optimistic") return make_optimistic(o, *pg);
  if (name == "lock") return make_lock(o, *pg, false);
  if (name == "lock-pause") return make_lock(o, *pg, true);
  return make_seatgate(o);
}

// --check: what holds whatever the machine's speed. Returns the failures.
std::vector<std::string> check(const std::vector<run_result>& results) {
  std::vector<std::string> bad;
  for (const auto& r : results) {
    const auto& c = r.counted;
    if (r.strategy == "none") {
      if (c.double_booked == 0) bad.push_back("none: no double booking even at the widest window");
      continue;
    }
    if (r.strategy == "lock-pause") {
      // Every paused write outlives its lock, so its release must say so.
      if (r.lost_locks + r.errors < r.paused)
        bad.push_back("lock-pause: " + std::to_string(r.paused) + " writes paused past the TTL" +
                      " but only " + std::to_string(r.lost_locks) + " lost locks reported");
      continue;
    }
    if (c.double_booked != 0)
      bad.push_back(r.strategy + ": " + std::to_string(c.double_booked) + " seats double-booked");
    if (r.booked == 0) bad.push_back(r.strategy + ": no booking at all (" + r.first_error + ")");
    if (!c.note.empty()) bad.push_back(r.strategy + ": " + c.note);
    if (c.audit_consistent && !*c.audit_consistent) bad.push_back(r.strategy + ": audit failed");
  }
  return bad;
}

int run(const options& o, const std::string& command) {
  const workload w = make_workload(o);
  run_context ctx;
  ctx.cores = std::thread::hardware_concurrency();
  ctx.load_before = load_average();
  ctx.command = command;
  ctx.redis_version = redis_version();
  const auto say = [&](const std::string& s) {
    if (!o.quiet) std::cerr << "seatgate-lab: " << s << std::endl;
  };

  std::unique_ptr<test::postgres_server> pg;
  if (std::any_of(o.strategies.begin(), o.strategies.end(), is_pg)) {
    test::postgres_server::options po;
    po.bin_dir = o.pg_bin;
    po.max_connections = o.connections + 10;
    pg = std::make_unique<test::postgres_server>(po);
    auto c = pg_connect(pg->conninfo());
    ctx.postgres_version = PQparameterStatus(c.get(), "server_version");
    say("PostgreSQL " + ctx.postgres_version + " on 127.0.0.1:" + std::to_string(pg->port()) +
        " (fsync off)");
  }

  std::vector<run_result> results;
  for (const auto& name : o.strategies) {
    if (stop_requested()) break;
    options local = o;  // outlives s, which keeps a reference
    auto s = make(name, local, pg.get());
    // "none" under --check: widen the window between read and write until it
    // double-books, a bounded number of times.
    const unsigned tries = o.check && name == "none" ? o.check_tries : 1;
    run_result r;
    for (unsigned t = 0; t < tries && !stop_requested(); ++t) {
      say("running " + name + " (think " + std::to_string(local.think_us) + " us) ...");
      r = run_strategy(*s, w, o.connections, local.think_us);
      if (r.counted.double_booked > 0) break;
      local.think_us = std::max(100u, local.think_us * 4);
      s = make(name, local, pg.get());
    }
    say(name + ": " + std::to_string(r.booked) + " booked, " +
        std::to_string(r.counted.double_booked) + " double-booked seats");
    results.push_back(r);
  }
  ctx.load_after = load_average();
  pg.reset();

  print_table(std::cout, results);
  std::cout << "workload: " << o.events << " event(s) x " << o.seats << " seats (" << o.hot
            << " hot, " << o.hot_percent << "% of buyers want one), " << o.buyers << " buyers, "
            << o.connections << " connections, seed " << o.seed << "; " << ctx.cores
            << " cores, load " << ctx.load_before << " -> " << ctx.load_after << "\n";
  if (!o.json_path.empty()) {
    std::ofstream(o.json_path) << to_json(o, ctx, results).dump(2) << "\n";
  }
  if (!o.svg_path.empty()) {
    const std::string sub = std::to_string(o.events) + " event x " + std::to_string(o.seats) +
                            " seats (" + std::to_string(o.hot) + " hot), " +
                            std::to_string(o.buyers) + " buyers, " + std::to_string(o.connections) +
                            " connections, seed " + std::to_string(o.seed) + "; " +
                            std::to_string(ctx.cores) + " cores, load " + ctx.load_before;
    std::ofstream(o.svg_path) << to_svg(results, sub);
  }
  if (stop_requested()) return 130;
  if (!o.check) return 0;
  const auto bad = check(results);
  for (const auto& b : bad) std::cout << "CHECK FAILED: " << b << "\n";
  if (bad.empty()) std::cout << "check passed\n";
  return bad.empty() ? 0 : 1;
}

}  // namespace
}  // namespace seatgate::lab

int main(int argc, char** argv) {
  int code = 0;
  const auto opts = seatgate::lab::parse_options(argc, argv, code);
  if (!opts) return code;
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, [](int) { seatgate::lab::request_stop(); });
  std::signal(SIGTERM, [](int) { seatgate::lab::request_stop(); });
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  try {
    return seatgate::lab::run(*opts, command);
  } catch (const std::exception& e) {
    std::cerr << "seatgate-lab: " << e.what() << "\n";
    return 1;
  }
}
