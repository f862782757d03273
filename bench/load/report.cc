#include "report.h"

#include "scenario.h"

#include <cstdio>
#include <string>

namespace seatgate::bench {
namespace {

constexpr double k_percentiles[] = {50, 90, 99, 99.9};

double ms(std::uint64_t ns) { return static_cast<double>(ns) / 1e6; }

nlohmann::json latency_json(const histogram& h) {
  nlohmann::json j = {{"count", h.count()}, {"mean", ms(static_cast<std::uint64_t>(h.mean()))}};
  for (double p : k_percentiles) {
    char name[16];
    std::snprintf(name, sizeof name, "p%g", p);
    j[name] = ms(h.percentile(p));
  }
  j["max"] = ms(h.max());
  return j;
}

std::string fmt_ms(std::uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms(ns));
  return buf;
}

}  // namespace

worker_stats merge(const std::vector<const worker_stats*>& all) {
  worker_stats m;
  for (const auto* w : all) {
    for (int k = 0; k < k_request_kinds; ++k) {
      m.kinds[k].latency_ns.merge(w->kinds[k].latency_ns);
      m.kinds[k].completed_in_window += w->kinds[k].completed_in_window;
      for (const auto& [key, n] : w->kinds[k].statuses) m.kinds[k].statuses[key] += n;
    }
    m.connect_errors += w->connect_errors;
    m.unsent += w->unsent;
  }
  return m;
}

nlohmann::json to_json(const run_result& r) {
  const options& o = *r.opts;
  nlohmann::json j = {
      {"tool", "seatgate-load"},
      {"label", o.label},
      {"scenario", name_of(o.scenario)},
      {"mode", name_of(o.mode)},
      {"target", o.host + ":" + o.port},
      {"event_id", r.event_id},
      {"connections", o.connections},
      {"threads", o.threads},
      {"rate", o.rate},
      {"duration_s", o.duration_s},
      {"warmup_s", o.warmup_s},
      {"window_s", r.window_s},
      {"elapsed_s", r.elapsed_s},
      {"connect_errors", r.merged.connect_errors},
      {"unsent", r.merged.unsent},
  };
  histogram all;
  std::uint64_t total_in_window = 0;
  nlohmann::json kinds = nlohmann::json::object();
  nlohmann::json statuses = nlohmann::json::object();
  for (int k = 0; k < k_request_kinds; ++k) {
    const auto& ks = r.merged.kinds[k];
    if (ks.latency_ns.count() == 0 && ks.statuses.empty()) continue;
    const char* name = name_of(static_cast<request_kind>(k));
    nlohmann::json kj = {
        {"requests", ks.latency_ns.count()},
        {"completed_in_window", ks.completed_in_window},
        {"throughput_rps", r.window_s > 0 ? ks.completed_in_window / r.window_s : 0.0},
        {"statuses", ks.statuses},
        {"latency_ms", latency_json(ks.latency_ns)},
    };
    kinds[name] = kj;
    for (const auto& [key, n] : ks.statuses) {
      statuses[key] = statuses.value(key, std::uint64_t{0}) + n;
    }
    all.merge(ks.latency_ns);
    total_in_window += ks.completed_in_window;
  }
  j["requests"] = all.count();
  j["throughput_rps"] = r.window_s > 0 ? total_in_window / r.window_s : 0.0;
  j["statuses"] = statuses;
  j["latency_ms"] = latency_json(all);
  j["kinds"] = kinds;
  for (const auto& [key, value] : r.extra.items()) j[key] = value;
  return j;
}

void print_table(std::ostream& out, const run_result& r) {
  const options& o = *r.opts;
  char line[256];
  out << "\nseatgate-load  scenario=" << name_of(o.scenario) << "  mode=" << name_of(o.mode);
  if (o.mode == loop_mode::open) out << "  rate=" << o.rate << "/s";
  out << "  connections=" << o.connections << "  threads=" << o.threads << "  event=" << r.event_id
      << "\n";
  std::snprintf(line, sizeof line, "window %.2f s (elapsed %.2f s)\n\n", r.window_s, r.elapsed_s);
  out << line;
  std::snprintf(line, sizeof line, "%-11s %10s %11s %9s %9s %9s %9s %9s\n", "request", "count",
                "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");
  out << line;
  for (int k = 0; k < k_request_kinds; ++k) {
    const auto& ks = r.merged.kinds[k];
    if (ks.latency_ns.count() == 0) continue;
    const auto& h = ks.latency_ns;
    std::snprintf(line, sizeof line, "%-11s %10llu %11.1f %9s %9s %9s %9s %9s\n",
                  name_of(static_cast<request_kind>(k)), static_cast<unsigned long long>(h.count()),
                  r.window_s > 0 ? ks.completed_in_window / r.window_s : 0.0,
                  fmt_ms(h.percentile(50)).c_str(), fmt_ms(h.percentile(90)).c_str(),
                  fmt_ms(h.percentile(99)).c_str(), fmt_ms(h.percentile(99.9)).c_str(),
                  fmt_ms(h.max()).c_str());
    out << line;
  }
  out << "\nstatus counts:\n";
  for (int k = 0; k < k_request_kinds; ++k) {
    const auto& ks = r.merged.kinds[k];
    if (ks.statuses.empty()) continue;
    out << "  " << name_of(static_cast<request_kind>(k)) << ":";
    for (const auto& [key, n] : ks.statuses) out << "  " << key << " = " << n;
    out << "\n";
  }
  if (r.merged.connect_errors) out << "  connect errors: " << r.merged.connect_errors << "\n";
  if (r.merged.unsent) out << "  never sent (open loop, drain ended): " << r.merged.unsent << "\n";
  if (r.extra.contains("flash_sale")) {
    const auto& f = r.extra["flash_sale"];
    out << "\nflash sale: " << f.value("capacity", 0) << " seats, " << f.value("users", 0)
        << " users\n";
    if (f["sold_out_s"].is_number()) {
      std::snprintf(line, sizeof line, "  sold out (confirmed == capacity) after %.3f s\n",
                    f["sold_out_s"].get<double>());
      out << line;
    } else {
      out << "  not sold out within the time limit\n";
    }
    if (f["first_sold_out_s"].is_number()) {
      std::snprintf(line, sizeof line, "  first 409 sold_out after %.3f s\n",
                    f["first_sold_out_s"].get<double>());
      out << line;
    }
    out << "  seats confirmed by clients: " << f.value("confirmed_by_clients", 0) << "\n";
    out << "  audit: " << f.value("audit_summary", std::string("unavailable")) << "\n";
    out << "  invariant: " << (f.value("invariant_ok", false) ? "OK" : "VIOLATED") << "\n";
  }
}

}  // namespace seatgate::bench
