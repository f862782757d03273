// Hardening of the HTTP layer against a real server over plain sockets:
// connection floods (descriptor exhaustion, the per-IP cap) and the pieces
// behind them (docs/operations.md, "Limits"). Request framing:
// framing_test.cc.
#include "api_client.h"
#include "config.h"
#include "http/ip_limiter.h"
#include "loopback.h"
#include "util/log_throttle.h"

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

namespace seatgate::test {
namespace {

using namespace std::chrono_literals;

// utime + stime of a process, in seconds, from /proc/<pid>/stat.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = all.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  unsigned long utime = 0, stime = 0;
  // Fields after the name start at 3 (state); utime is 14, stime 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoul(field);
    if (i == 15) stime = std::stoul(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// GET /healthz on fresh connections until one answers 200 (the listener may
// be backing off for up to a second after a flood); bounded tries.
bool healthz_answers(unsigned short port) {
  for (int i = 0; i < 50; ++i) {
    if (exchange(port, healthz_request(), nullptr, 2s).find("HTTP/1.1 200") == 0) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// Up to `n` connections that send nothing (the ones that could be opened).
std::vector<int> open_idle(unsigned short port, int n) {
  std::vector<int> idle;
  for (int i = 0; i < n; ++i) {
    int fd = connect_raw(port);
    if (fd >= 0) idle.push_back(fd);
  }
  return idle;
}

// --- connection floods ---------------------------------------------------

// With a descriptor limit of 256 the default --max-connections (20000) is
// out of reach: the cap is clamped below the limit, so a flood of idle
// connections gets 503s instead of exhausting descriptors, and the process
// neither spins nor floods its log.
TEST(Flood, CapIsClampedBelowTheDescriptorLimit) {
  redis_server redis;
  server_process::options o{redis.url(), {"--max-connections-per-ip", "0"}, 2, false};
  o.fd_limit = 256;
  server_process server(o);
  const double cpu_before = cpu_seconds(server.pid());
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<int> idle = open_idle(server.port(), 400);
  ASSERT_GT(idle.size(), 300u);
  // A window for a spinning listener to show itself: a measurement, not a deadline.
  std::this_thread::sleep_for(2s);
  const double cpu = cpu_seconds(server.pid()) - cpu_before;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  EXPECT_LT(cpu, wall * 0.5) << "the server burnt " << cpu << " s of CPU in " << wall << " s";

  int refused = 0;
  for (int fd : idle) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) == 1 && read_all(fd, 100ms).find("HTTP/1.1 503") == 0) ++refused;
  }
  for (int fd : idle) ::close(fd);
  EXPECT_TRUE(healthz_answers(server.port()));
  const auto log = server.log_text();
  EXPECT_LT(log.size(), 100u * 1024) << "the log stays small";

  // The effective cap is logged at start, below the limit; every connection
  // over it was answered 503.
  const auto at = log.find("\"msg\":\"connection limits\"");
  ASSERT_NE(at, std::string::npos) << log.substr(0, 4096);
  const auto from = log.rfind('\n', at) + 1;
  const auto line = json::parse(log.substr(from, log.find('\n', at) - from));
  const long cap = line.at("max_connections").get<long>();
  EXPECT_GT(cap, 0);
  EXPECT_LT(cap, 256) << line;
  EXPECT_EQ(line.at("fd_limit").get<long>(), 256) << line;
  EXPECT_GE(refused, static_cast<long>(idle.size()) - cap)
      << "connections over the cap are answered 503\n"
      << log.substr(0, 4096);
}

// Descriptors run out below the cap (the limit lowered under a running
// server): accept fails with EMFILE. The listener backs off instead of
// spinning, logs the failure at most once a second, and closes the pending
// connections with its reserve descriptor rather than leaving them hanging.
TEST(Flood, AcceptOutOfDescriptorsBacksOffAndClosesPendingConnections) {
  redis_server redis;
  server_process server({redis.url(), {"--max-connections-per-ip", "0"}, 2, false});
  rlimit low{160, 160};
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_NOFILE, &low, nullptr), 0) << std::strerror(errno);

  const double cpu_before = cpu_seconds(server.pid());
  const auto wall_start = std::chrono::steady_clock::now();
  std::vector<int> idle = open_idle(server.port(), 400);
  ASSERT_GT(idle.size(), 300u);
  // Wait (bounded) until every connection the server could not keep has been
  // closed by it; the ones it keeps stay open and quiet.
  std::vector<bool> closed(idle.size(), false);
  std::size_t n_closed = 0;
  for (int round = 0; round < 100 && n_closed < idle.size() - 160; ++round) {
    std::vector<pollfd> ps;  // the ones still open (poll skips a negative fd)
    for (std::size_t i = 0; i < idle.size(); ++i)
      ps.push_back({closed[i] ? -1 : idle[i], POLLIN, 0});
    ::poll(ps.data(), ps.size(), 100);
    for (std::size_t i = 0; i < idle.size(); ++i) {
      if (closed[i] || !(ps[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char b;
      auto n = ::recv(idle[i], &b, 1, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno == ECONNRESET)) {
        closed[i] = true;
        ++n_closed;
      }
    }
  }
  std::this_thread::sleep_for(1s);  // a window for a spinning listener to show itself
  const double cpu = cpu_seconds(server.pid()) - cpu_before;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  EXPECT_LT(cpu, wall * 0.5) << "the server burnt " << cpu << " s of CPU in " << wall << " s";
  EXPECT_GE(n_closed, idle.size() - 160) << "connections over the descriptor limit are closed";
  const auto log = server.log_text();
  EXPECT_LT(log.size(), 100u * 1024) << "the log stays small";
  EXPECT_NE(log.find("\"msg\":\"accept failed\""), std::string::npos);

  for (int fd : idle) ::close(fd);
  EXPECT_TRUE(healthz_answers(server.port())) << "serves again once descriptors are free";
}

TEST(Flood, PerAddressCapRefusesTheSixthConnectionOnly) {
  redis_server redis;
  server_process server({redis.url(), {"--max-connections-per-ip", "5"}, 2, false});
  std::vector<int> held;
  for (int i = 0; i < 5; ++i) {
    int fd = connect_raw(server.port());
    ASSERT_GE(fd, 0);
    // An answer proves the server holds the connection.
    ASSERT_TRUE(send_all(fd, healthz_request()));
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[2048];
    auto n = ::recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    ASSERT_EQ(std::string(buf, static_cast<std::size_t>(n)).find("HTTP/1.1 200"), 0u);
    held.push_back(fd);
  }
  bool closed = false;
  auto sixth = exchange(server.port(), healthz_request(), &closed);
  EXPECT_EQ(sixth.find("HTTP/1.1 503"), 0u) << sixth;
  EXPECT_NE(sixth.find("\"code\":\"unavailable\""), std::string::npos) << sixth;
  EXPECT_EQ(responses_in(sixth), 1) << sixth;
  EXPECT_TRUE(closed);

  // Another address is not affected.
  int other = connect_raw(server.port(), "127.0.0.2");
  ASSERT_GE(other, 0) << "cannot bind 127.0.0.2";
  ASSERT_TRUE(send_all(other, healthz_request()));
  auto answer = read_all(other, 2s);
  EXPECT_EQ(answer.find("HTTP/1.1 200"), 0u) << answer;
  ::close(other);

  api_client c(server);
  // The refusal is counted (this client comes from 127.0.0.1 too: free a slot).
  ::close(held.back());
  held.pop_back();
  http_reply metrics;
  for (int i = 0; i < 50 && metrics.status != 200; ++i) {
    metrics = c.send("GET", "/metrics");
    if (metrics.status != 200) std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(metrics.status, 200) << "a closed connection frees its slot";
  EXPECT_NE(metrics.body.find("seatgate_connections_refused_total{reason=\"per_ip\"} 1"),
            std::string::npos)
      << metrics.body;
  for (int fd : held) ::close(fd);
}

// --- the pieces: flag, per-address counter, log throttle -------------------

TEST(Flood, PerAddressFlagDefaultEnvironmentAndRange) {
  std::map<std::string, std::string> env = {{"SEATGATE_JWT_SECRET", std::string(32, 's')},
                                            {"SEATGATE_ADMIN_TOKEN", "admin"}};
  const env_lookup lookup = [&](std::string_view k) -> std::optional<std::string> {
    auto it = env.find(std::string(k));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  const char* none[] = {"seatgate-server"};
  auto r = parse_config(1, none, lookup);
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->max_connections_per_ip, 256u);
  env["SEATGATE_MAX_CONNECTIONS_PER_IP"] = "0";
  r = parse_config(1, none, lookup);
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->max_connections_per_ip, 0u);
  const char* flag[] = {"seatgate-server", "--max-connections-per-ip", "7"};
  r = parse_config(3, flag, lookup);
  ASSERT_TRUE(r.cfg) << r.error;
  EXPECT_EQ(r.cfg->max_connections_per_ip, 7u) << "the flag wins over the variable";
  const char* bad[] = {"seatgate-server", "--max-connections-per-ip", "-1"};
  r = parse_config(3, bad, lookup);
  EXPECT_FALSE(r.cfg);
  EXPECT_NE(r.error.find("--max-connections-per-ip"), std::string::npos) << r.error;
  EXPECT_NE(help_text().find("--max-connections-per-ip N"), std::string::npos);
  EXPECT_NE(help_text().find("SEATGATE_MAX_CONNECTIONS_PER_IP"), std::string::npos);
}

TEST(Flood, PerAddressCounterHoldsLeasesAndGroupsIpv6By64) {
  namespace ip = boost::asio::ip;
  http::ip_limiter lim(2);
  const auto a = ip::make_address("10.0.0.1"), b = ip::make_address("10.0.0.2");
  auto l1 = lim.acquire(a), l2 = lim.acquire(a);
  ASSERT_TRUE(l1 && l2);
  EXPECT_FALSE(lim.acquire(a)) << "a third from the same address";
  EXPECT_TRUE(lim.acquire(b)) << "another address is counted apart";
  l1.reset();  // a connection ends: its slot is free
  EXPECT_EQ(lim.count(a), 1u);
  auto l3 = lim.acquire(a);
  EXPECT_TRUE(l3);
  http::ip_limiter::lease moved = std::move(*l3);
  l3.reset();
  EXPECT_EQ(lim.count(a), 2u) << "a moved lease still holds its slot";

  const auto x = ip::make_address("2001:db8:1:2::1"), y = ip::make_address("2001:db8:1:2:ffff::9");
  auto v1 = lim.acquire(x), v2 = lim.acquire(y);
  ASSERT_TRUE(v1 && v2);
  EXPECT_FALSE(lim.acquire(ip::make_address("2001:db8:1:2::77"))) << "one /64, one count";
  EXPECT_TRUE(lim.acquire(ip::make_address("2001:db8:1:3::1")));

  http::ip_limiter off(0);
  std::vector<http::ip_limiter::lease> many;
  for (int i = 0; i < 1000; ++i) {
    auto l = off.acquire(a);
    ASSERT_TRUE(l);
    many.push_back(std::move(*l));
  }
  EXPECT_EQ(off.count(a), 0u);
}

TEST(Flood, LogThrottleLetsOneLineThroughPerIntervalAndCountsTheRest) {
  log::throttle t(1s);
  const auto t0 = log::throttle::clock::time_point{} + 100s;
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(t.allow(suppressed, t0));
  EXPECT_EQ(suppressed, 0u);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(t.allow(suppressed, t0 + 999ms));
  EXPECT_TRUE(t.allow(suppressed, t0 + 1s));
  EXPECT_EQ(suppressed, 1000u);
  EXPECT_FALSE(t.allow(suppressed, t0 + 1500ms));
  EXPECT_TRUE(t.allow(suppressed, t0 + 10s));
  EXPECT_EQ(suppressed, 1u);
}

}  // namespace
}  // namespace seatgate::test
