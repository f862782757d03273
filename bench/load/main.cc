// seatgate-load: flags, event setup, threads, progress line, results.
#include "admin.h"
#include "options.h"
#include "report.h"
#include "scenario.h"
#include "worker.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sb = seatgate::bench;
using clock_type = std::chrono::steady_clock;

namespace {

std::string random_run_id() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", rd());
  return buf;
}

clock_type::duration seconds(double s) {
  return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
}

// The flash sale's proof: the audit read in one atomic step by the server.
nlohmann::json check_flash_sale(const sb::options& o, const sb::scenario& sc) {
  nlohmann::json f = {{"capacity", o.capacity}, {"users", o.users}, {"quantity", o.quantity}};
  const auto sold_out = sc.sold_out_ns.load();
  const auto first = sc.first_sold_out_ns.load();
  f["sold_out_s"] = sold_out >= 0 ? nlohmann::json(sold_out / 1e9) : nlohmann::json(nullptr);
  f["first_sold_out_s"] = first >= 0 ? nlohmann::json(first / 1e9) : nlohmann::json(nullptr);
  f["confirmed_by_clients"] = sc.confirmed_seats.load();
  f["invariant_ok"] = false;
  auto res = sb::http_call(o.host, o.port, "GET", "/v1/admin/events/" + sc.event_id() + "/audit",
                           o.admin_token, "");
  if (res.status != 200) {
    f["audit_summary"] = "GET audit failed: " + std::to_string(res.status) + " " + res.error +
                         res.body.substr(0, 200);
    return f;
  }
  auto audit = nlohmann::json::parse(res.body, nullptr, false);
  if (audit.is_discarded() || !audit.contains("zones") || audit["zones"].empty()) {
    f["audit_summary"] = "audit is not the expected JSON: " + res.body.substr(0, 200);
    return f;
  }
  f["audit"] = audit;
  const auto& z = audit["zones"][0];
  const auto capacity = z.value("capacity", -1LL), available = z.value("available", -1LL),
             held = z.value("held", -1LL), sold = z.value("sold", -1LL);
  const auto confirmed = static_cast<long long>(sc.confirmed_seats.load());
  const bool ok = audit.value("consistent", false) && z.value("consistent", false) &&
                  available >= 0 && held >= 0 && sold >= 0 && available + held + sold == capacity &&
                  capacity == static_cast<long long>(o.capacity) && sold >= confirmed &&
                  confirmed <= capacity &&
                  // A seated zone (--seated): no seat in two live reservations.
                  audit.value("double_booked_seats", nlohmann::json::array()).empty();
  f["invariant_ok"] = ok;
  f["oversold"] = sold + held > capacity || confirmed > capacity;
  f["audit_summary"] = "capacity " + std::to_string(capacity) + ", available " +
                       std::to_string(available) + ", held " + std::to_string(held) + ", sold " +
                       std::to_string(sold) + ", consistent " +
                       (audit.value("consistent", false) ? "true" : "false");
  return f;
}

void progress_line(const sb::options& o, double t, std::uint64_t total, double rate,
                   std::uint64_t not_2xx, std::uint64_t errors, std::uint64_t backlog, bool tty) {
  char line[200];
  std::snprintf(
      line, sizeof line, "[%6.1fs] %9.0f req/s  responses %llu  non-2xx %llu  errors %llu%s", t,
      rate, static_cast<unsigned long long>(total), static_cast<unsigned long long>(not_2xx),
      static_cast<unsigned long long>(errors),
      o.mode == sb::loop_mode::open ? ("  backlog " + std::to_string(backlog)).c_str() : "");
  if (tty) {
    std::fprintf(stderr, "\r%s\033[K", line);
  } else {
    std::fprintf(stderr, "%s\n", line);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto parsed = sb::parse_options(argc, argv, exit_code);
  if (!parsed) return exit_code;
  const sb::options opts = *parsed;
  if (opts.scenario != sb::scenario_kind::event_read && opts.jwt_secret.empty()) {
    std::cerr << "seatgate-load: SEATGATE_JWT_SECRET is not set (user tokens are signed with it)\n";
    return 2;
  }
  if ((opts.setup || opts.scenario == sb::scenario_kind::flash_sale) && opts.admin_token.empty()) {
    std::cerr << "seatgate-load: SEATGATE_ADMIN_TOKEN is not set (needed for event setup"
                 " and the audit; --no-setup to use an existing event)\n";
    return 2;
  }

  sb::scenario sc(opts, random_run_id());
  if (opts.setup) {
    auto res = sb::http_call(opts.host, opts.port, "PUT", "/v1/admin/events/" + sc.event_id(),
                             opts.admin_token, sc.event_config_json());
    if (res.status != 200 && res.status != 201) {
      std::cerr << "seatgate-load: event setup failed: " << res.status << " " << res.error << " "
                << res.body << "\n";
      return 1;
    }
  }

  const auto start = clock_type::now();
  sc.start_time = start;
  sb::run_window window;
  window.start = start;
  window.measure_start = start + seconds(opts.warmup_s);
  window.measure_end = window.measure_start + seconds(opts.duration_s);
  window.drain_end = window.measure_end + seconds(opts.drain_s);

  std::vector<std::unique_ptr<sb::worker_progress>> progress;
  std::vector<std::unique_ptr<sb::worker>> workers;
  for (unsigned i = 0; i < opts.threads; ++i) {
    const unsigned conns = opts.connections / opts.threads + (i < opts.connections % opts.threads);
    progress.push_back(std::make_unique<sb::worker_progress>());
    workers.push_back(std::make_unique<sb::worker>(opts, sc, window, static_cast<int>(i), conns,
                                                   opts.rate / opts.threads, *progress.back()));
  }
  rusage usage_start{};
  getrusage(RUSAGE_SELF, &usage_start);
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });

  const bool tty = isatty(STDERR_FILENO);
  std::uint64_t last_total = 0;
  std::uint64_t responses_total = 0;
  auto last_print = start;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    bool all_done = true;
    std::uint64_t total = 0, not_2xx = 0, errors = 0, backlog = 0;
    for (auto& p : progress) {
      all_done = all_done && p->done.load();
      total += p->responses.load(std::memory_order_relaxed);
      not_2xx += p->not_2xx.load(std::memory_order_relaxed);
      errors += p->errors.load(std::memory_order_relaxed);
      backlog += p->backlog.load(std::memory_order_relaxed);
    }
    const auto now = clock_type::now();
    if (opts.progress && (now - last_print >= std::chrono::seconds(1) || all_done)) {
      const double dt = std::chrono::duration<double>(now - last_print).count();
      progress_line(opts, std::chrono::duration<double>(now - start).count(), total,
                    dt > 0 ? (total - last_total) / dt : 0, not_2xx, errors, backlog, tty);
      last_total = total;
      last_print = now;
    }
    responses_total = total;
    if (all_done) break;
  }
  for (auto& t : threads) t.join();
  const auto end = clock_type::now();
  if (opts.progress && tty) std::fprintf(stderr, "\n");

  sb::run_result result;
  result.opts = &opts;
  result.event_id = sc.event_id();
  const auto window_end = std::min(end, window.measure_end);
  result.window_s =
      std::max(0.0, std::chrono::duration<double>(window_end - window.measure_start).count());
  result.elapsed_s = std::chrono::duration<double>(end - start).count();
  std::vector<const sb::worker_stats*> all;
  for (auto& w : workers) all.push_back(&w->stats());
  result.merged = sb::merge(all);

  result.extra["responses_total"] = responses_total;  // warm-up and drain included
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds_of = [](const rusage& u) {
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
           u.ru_stime.tv_usec / 1e6;
  };
  // CPU of the run itself: setup (token minting, event PUT) excluded.
  result.extra["client_cpu_s"] = seconds_of(usage) - seconds_of(usage_start);
  if (opts.scenario == sb::scenario_kind::flash_sale) {
    // The sale ends when it sells out: its window is the time to sell out.
    if (sc.sold_out_ns.load() >= 0) result.window_s = sc.sold_out_ns.load() / 1e9;
    result.extra["flash_sale"] = check_flash_sale(opts, sc);
  }

  sb::print_table(std::cout, result);
  const auto j = sb::to_json(result);
  if (!opts.json_path.empty()) {
    if (opts.json_path == "-") {
      std::cout << j.dump(2) << "\n";
    } else {
      std::ofstream f(opts.json_path);
      f << j.dump(2) << "\n";
      if (!f) {
        std::cerr << "seatgate-load: cannot write " << opts.json_path << "\n";
        return 1;
      }
    }
  }
  std::cout.flush();

  if (opts.scenario == sb::scenario_kind::flash_sale &&
      !result.extra["flash_sale"].value("invariant_ok", false)) {
    return 3;
  }
  std::uint64_t ok = 0;
  for (const auto& ks : result.merged.kinds) {
    for (const auto& [key, n] : ks.statuses) {
      if (key.size() == 3 && key[0] == '2') ok += n;
    }
  }
  return ok > 0 ? 0 : 1;
}
