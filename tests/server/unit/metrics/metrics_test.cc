#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using namespace seatgate::metrics;

// "name{labels} value" lines -> value, keyed by everything before the space.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.rfind(' ');
    out[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return out;
}

TEST(Metrics, RendersRequestsByRouteAndClass) {
  registry reg;
  seatgate::redis::stats rs;
  reg.observe_request(route::reserve, 201, 0.004);
  reg.observe_request(route::reserve, 201, 0.02);
  reg.observe_request(route::reserve, 409, 0.0001);
  reg.observe_request(route::healthz, 200, 3.0);
  const auto s = samples(reg.render(rs, true));
  EXPECT_EQ(s.at(R"(seatgate_http_requests_total{route="reserve",code="2xx"})"), "2");
  EXPECT_EQ(s.at(R"(seatgate_http_requests_total{route="reserve",code="4xx"})"), "1");
  EXPECT_EQ(s.at(R"(seatgate_http_requests_total{route="healthz",code="2xx"})"), "1");
  EXPECT_EQ(s.count(R"(seatgate_http_requests_total{route="healthz",code="5xx"})"), 0u);
}

TEST(Metrics, HistogramIsCumulative) {
  registry reg;
  seatgate::redis::stats rs;
  reg.observe_request(route::get_event, 200, 0.0005);  // on a bound: le is inclusive
  reg.observe_request(route::get_event, 200, 0.004);
  reg.observe_request(route::get_event, 200, 0.3);
  reg.observe_request(route::get_event, 200, 10.0);
  const auto s = samples(reg.render(rs, true));
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="0.0005"})"), "1");
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="0.005"})"), "2");
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="0.25"})"), "2");
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="0.5"})"), "3");
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="2.5"})"), "3");
  EXPECT_EQ(s.at(R"(seatgate_http_request_duration_seconds_bucket{le="+Inf"})"), "4");
  EXPECT_EQ(s.at("seatgate_http_request_duration_seconds_count"), "4");
  EXPECT_NEAR(std::stod(s.at("seatgate_http_request_duration_seconds_sum")), 10.3045, 1e-5);
}

TEST(Metrics, EveryFamilyHasHelpAndType) {
  registry reg;
  seatgate::redis::stats rs;
  const auto text = reg.render(rs, false);
  for (const char* name :
       {"seatgate_http_requests_total", "seatgate_http_request_duration_seconds",
        "seatgate_reservations_total", "seatgate_holds_expired_total", "seatgate_detached_tasks",
        "seatgate_detached_tasks_total", "seatgate_detached_task_retries_total",
        "seatgate_connections_open", "seatgate_redis_errors_total",
        "seatgate_redis_reconnects_total", "seatgate_redis_noscript_reloads_total",
        "seatgate_redis_commands_total", "seatgate_redis_ready"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + name + " "), std::string::npos) << name;
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
  }
  EXPECT_NE(text.find("# TYPE seatgate_http_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE seatgate_connections_open gauge\n"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(Metrics, CountersAndGauges) {
  registry reg;
  seatgate::redis::stats rs;
  reg.reservation(outcome::created);
  reg.reservation(outcome::created);
  reg.reservation(outcome::sold_out);
  reg.holds_expired += 4;
  reg.detached_pending = 2;
  reg.detached_succeeded = 9;
  reg.detached_failed = 1;
  reg.detached_retries = 3;
  reg.connections_open = 17;
  rs.errors = 5;
  rs.reconnects = 6;
  rs.noscript_reloads = 7;
  rs.commands = 800;
  auto s = samples(reg.render(rs, true));
  EXPECT_EQ(s.at(R"(seatgate_reservations_total{outcome="created"})"), "2");
  EXPECT_EQ(s.at(R"(seatgate_reservations_total{outcome="sold_out"})"), "1");
  EXPECT_EQ(s.at(R"(seatgate_reservations_total{outcome="user_limit"})"), "0");
  EXPECT_EQ(s.at("seatgate_holds_expired_total"), "4");
  EXPECT_EQ(s.at(R"(seatgate_detached_tasks{state="pending"})"), "2");
  EXPECT_EQ(s.at(R"(seatgate_detached_tasks_total{result="succeeded"})"), "9");
  EXPECT_EQ(s.at(R"(seatgate_detached_tasks_total{result="failed"})"), "1");
  EXPECT_EQ(s.at("seatgate_detached_task_retries_total"), "3");
  EXPECT_EQ(s.at("seatgate_connections_open"), "17");
  EXPECT_EQ(s.at("seatgate_redis_errors_total"), "5");
  EXPECT_EQ(s.at("seatgate_redis_reconnects_total"), "6");
  EXPECT_EQ(s.at("seatgate_redis_noscript_reloads_total"), "7");
  EXPECT_EQ(s.at("seatgate_redis_commands_total"), "800");
  EXPECT_EQ(s.at("seatgate_redis_ready"), "1");
  s = samples(reg.render(rs, false));
  EXPECT_EQ(s.at("seatgate_redis_ready"), "0");
}

TEST(Metrics, RouteNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int r = 0; r < static_cast<int>(route::count_); ++r)
    names.insert(route_name(static_cast<route>(r)));
  EXPECT_EQ(names.size(), static_cast<size_t>(route::count_));
}

TEST(Metrics, ConcurrentObservationsAllCount) {
  registry reg;
  seatgate::redis::stats rs;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) reg.observe_request(route::reserve, 201, 0.001);
    });
  for (auto& t : threads) t.join();
  const auto s = samples(reg.render(rs, true));
  EXPECT_EQ(s.at(R"(seatgate_http_requests_total{route="reserve",code="2xx"})"), "40000");
  EXPECT_EQ(s.at("seatgate_http_request_duration_seconds_count"), "40000");
}

}  // namespace
