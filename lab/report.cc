#include "report.h"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace seatgate::lab {
namespace {

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

}  // namespace

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void print_table(std::ostream& out, const std::vector<run_result>& results) {
  const std::vector<std::pair<std::string, int>> cols = {
      {"strategy", 12},        {"booked", 7},      {"double", 7}, {"sold", 7},
      {"lock busy", 10},       {"retries", 8},     {"errors", 7}, {"lost lock", 10},
      {"last booking ms", 16}, {"buyers/s", 9},    {"p50 ms", 8}, {"p99 ms", 8},
      {"max ms", 8},           {"store CPU s", 12}};
  const auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i == 0)
        out << std::left << std::setw(cols[i].second) << cells[i];
      else
        out << std::right << std::setw(cols[i].second) << cells[i];
      out << (i + 1 < cells.size() ? " " : "\n");
    }
  };
  std::vector<std::string> head;
  for (const auto& c : cols) head.push_back(c.first);
  row(head);
  for (const auto& r : results) {
    row({r.strategy, std::to_string(r.booked), std::to_string(r.counted.double_booked),
         std::to_string(r.sold), std::to_string(r.lock_busy), std::to_string(r.retries_exhausted),
         std::to_string(r.errors), std::to_string(r.lost_locks), fixed(r.last_booking_ms, 1),
         fixed(r.throughput, 0), fixed(r.p50_ms, 2), fixed(r.p99_ms, 2), fixed(r.max_ms, 1),
         fixed(r.store_cpu_s, 2)});
  }
  out << "double = seats with more than one accepted booking, counted afterwards from the store's"
         " record;\nlast booking ms = start to the last accepted booking; buyers/s = all buyers"
         " (most find their seat sold) / run time\n";
  for (const auto& r : results) {
    std::string extra;
    if (r.conflicts) extra += " " + std::to_string(r.conflicts) + " version conflicts;";
    if (r.paused) extra += " " + std::to_string(r.paused) + " writes paused past the lock TTL;";
    if (r.counted.audit_consistent)
      extra +=
          std::string(" audit ") + (*r.counted.audit_consistent ? "consistent;" : "INCONSISTENT;");
    if (r.counted.oversold)
      extra += " " + std::to_string(r.counted.oversold) + " bookings oversold;";
    if (!r.counted.note.empty()) extra += " " + r.counted.note + ";";
    if (!r.first_error.empty()) extra += " first error: " + r.first_error + ";";
    if (!extra.empty()) out << "  " << r.strategy << ":" << extra << "\n";
  }
}

nlohmann::json to_json(const options& o, const run_context& ctx,
                       const std::vector<run_result>& results) {
  nlohmann::json rs = nlohmann::json::array();
  for (const auto& r : results) {
    nlohmann::json j = {
        {"strategy", r.strategy},
        {"store", r.store},
        {"connections", r.connections},
        {"think_us", r.think_us},
        {"buyers", r.buyers},
        {"booked", r.booked},
        {"double_booked_seats", r.counted.double_booked},
        {"oversold_bookings", r.counted.oversold},
        {"recorded_bookings", r.counted.recorded},
        {"failures",
         {{"sold", r.sold},
          {"lock_not_acquired", r.lock_busy},
          {"retries_exhausted", r.retries_exhausted},
          {"errors", r.errors}}},
        {"version_conflicts", r.conflicts},
        {"lost_locks", r.lost_locks},
        {"paused_writes", r.paused},
        {"seconds", r.seconds},
        {"last_booking_ms", r.last_booking_ms},
        {"throughput_per_s", r.throughput},
        {"latency_ms", {{"p50", r.p50_ms}, {"p99", r.p99_ms}, {"max", r.max_ms}}},
        {"store_cpu_s", r.store_cpu_s},
    };
    if (r.counted.audit_consistent) j["audit_consistent"] = *r.counted.audit_consistent;
    if (!r.counted.note.empty()) j["note"] = r.counted.note;
    if (!r.first_error.empty()) j["first_error"] = r.first_error;
    rs.push_back(std::move(j));
  }
  return {
      {"workload",
       {{"events", o.events},
        {"seats_per_event", o.seats},
        {"hot_seats_per_event", o.hot},
        {"hot_percent", o.hot_percent},
        {"buyers", o.buyers},
        {"connections", o.connections},
        {"seed", o.seed},
        {"think_us", o.think_us},
        {"lock_ttl_ms", o.lock_ttl_ms},
        {"lock_tries", o.lock_tries},
        {"pause_ttl_ms", o.pause_ttl_ms},
        {"pause_ms", o.pause_ms},
        {"pause_percent", o.pause_percent},
        {"optimistic_retries", o.optimistic_retries},
        {"server_threads", o.server_threads}}},
      {"machine",
       {{"cores", ctx.cores},
        {"load_before", ctx.load_before},
        {"load_after", ctx.load_after},
        {"postgres", ctx.postgres_version},
        {"redis", ctx.redis_version}}},
      {"command", ctx.command},
      {"results", std::move(rs)},
  };
}

}  // namespace seatgate::lab
