// The server under failure: Lua script cache flushed mid-run, Redis killed and
// restarted, SIGTERM under load.
#include "inventory_layout.h"
#include "api_client.h"
#include "loopback.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <regex>
#include <map>
#include <mutex>
#include <thread>

namespace seatgate::test {
namespace {

// Counters straight from Redis (works with the server gone).
struct raw_counts {
  long capacity, available, held, sold, holds_in_cnt;
};
raw_counts read_raw(const redis_server& r, const std::string& event) {
  auto n = [&](const std::string& field) {
    return static_cast<long>(layout::counter(r, event, field));
  };
  return {n("z:floor:capacity"), n("z:floor:available"), n("z:floor:held"), n("z:floor:sold"),
          n("n:held")};
}

TEST(Resilience, ScriptFlushMidRunStillSucceeds) {
  redis_server redis;
  server_process server({redis.url(), {"--reservations-per-user-per-minute", "0"}, 2, false});
  api_client admin(server);
  ASSERT_EQ(admin.put_event("flush", event_config(100000, 600, 10, 10000)).status, 201);
  std::atomic<int> ok{0}, bad{0};
  std::atomic<bool> flushed{false};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      api_client c(server);
      auto token = server.user_token("u" + std::to_string(t));
      for (int i = 0; i < 150; ++i) {
        if (t == 0 && i == 50) {
          redis.command({"SCRIPT", "FLUSH"});
          flushed = true;
        }
        auto r = c.reserve(token, "flush", "floor", 1, "k" + std::to_string(i));
        (r.status == 201 ? ok : bad)++;
        if (r.status != 201) ADD_FAILURE() << r.status << " " << r.body;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_TRUE(flushed);
  EXPECT_EQ(ok.load(), 8 * 150);
  EXPECT_EQ(bad.load(), 0);
  auto m = admin.send("GET", "/metrics").body;
  EXPECT_GE(metric(m, "seatgate_redis_noscript_reloads_total"), 1) << m;
  auto c = counts(admin, "flush");
  EXPECT_TRUE(c.consistent);
  EXPECT_EQ(c.held, 8 * 150);
}

// The embedded default supervises its redis-server: killed, it is reaped and
// started again on the same data; readiness comes back and the restart is
// counted.
TEST(Resilience, EmbeddedRedisKilledIsRestartedOnItsData) {
  server_process server({"", {}, 2, false});
  api_client c(server);
  ASSERT_EQ(c.put_event("embedded", event_config(100)).status, 201);
  auto token = server.user_token("alice");
  ASSERT_EQ(c.reserve(token, "embedded", "floor", 2, "before").status, 201);

  std::smatch m;
  const std::string log = server.log_text();
  ASSERT_TRUE(std::regex_search(log, m, std::regex("embedded redis started[^\\n]*\"pid\":([0-9]+)")))
      << log;
  const pid_t child = std::stoi(m[1]);
  ASSERT_EQ(::kill(child, SIGKILL), 0);

  long restarts = -1;
  bool ready = false;
  for (int i = 0; i < 200 && !(restarts == 1 && ready); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    restarts = metric(c.send("GET", "/metrics").body, "seatgate_embedded_redis_restarts_total");
    ready = c.send("GET", "/readyz").status == 200;
  }
  EXPECT_EQ(restarts, 1) << server.log_text();
  EXPECT_TRUE(ready);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(child)))
      << "the dead redis-server was not reaped";

  // The data survived: the hold is still there and the event still sells.
  auto z = counts(c, "embedded");
  EXPECT_TRUE(z.consistent);
  EXPECT_EQ(z.held, 2);
  auto r = c.reserve(token, "embedded", "floor", 1, "after");
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST(Resilience, RedisKilledAndRestartedGives503ThenRecovers) {
  redis_server redis(/*append_only=*/true);
  server_process server({redis.url(), {}, 2, false});
  api_client c(server);
  ASSERT_EQ(c.put_event("crash", event_config(100)).status, 201);
  auto token = server.user_token("alice");
  ASSERT_EQ(c.reserve(token, "crash", "floor", 2, "before").status, 201);

  redis.stop();
  int saw_503 = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = c.reserve(token, "crash", "floor", 1, "during-" + std::to_string(i));
    ASSERT_NE(r.status, 201) << "no reservation can succeed without Redis";
    if (r.status == 503) {
      ++saw_503;
      EXPECT_EQ(r.code(), "unavailable");
      EXPECT_TRUE(r.js()["retryable"].get<bool>());
      EXPECT_FALSE(r.header("Retry-After").empty());
    }
  }
  EXPECT_EQ(saw_503, 20);
  EXPECT_EQ(c.send("GET", "/readyz").status, 503);

  redis.start();
  bool ready = false;
  for (int i = 0; i < 200 && !ready; ++i) {
    ready = c.send("GET", "/readyz").status == 200;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(ready) << "the server reconnects by itself";
  auto r = c.reserve(token, "crash", "floor", 1, "after");
  EXPECT_EQ(r.status, 201) << r.body;
  auto k = counts(c, "crash");
  EXPECT_TRUE(k.consistent) << k.audit.dump();
  EXPECT_EQ(k.held, 3) << "the hold made before the crash survived (AOF), plus the new one";
  auto m = c.send("GET", "/metrics").body;
  EXPECT_GE(metric(m, "seatgate_redis_reconnects_total"), 1);
}

TEST(Resilience, SigtermUnderLoadFinishesInFlightAndExitsZero) {
  redis_server redis;
  server_process server({redis.url(), {"--reservations-per-user-per-minute", "0"}, 2, false});
  api_client admin(server);
  ASSERT_EQ(admin.put_event("term", event_config(1000000, 600, 10, 10000)).status, 201);
  std::atomic<bool> stop{false};
  std::atomic<long> created{0}, refused{0}, failed_conn{0};
  std::mutex mu;
  std::map<int, int> statuses;
  std::vector<std::thread> ts;
  for (int t = 0; t < 16; ++t)
    ts.emplace_back([&, t] {
      api_client c(server);
      auto token = server.user_token("u" + std::to_string(t));
      for (int i = 0; !stop; ++i) {
        auto r = c.reserve(token, "term", "floor", 1, "k" + std::to_string(i));
        if (r.status == 0) {
          failed_conn++;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        std::lock_guard lock(mu);
        statuses[r.status]++;
        if (r.status == 201) created++;
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_GT(created.load(), 0);
  int code = server.terminate_and_wait(std::chrono::seconds(20));
  stop = true;
  for (auto& t : ts) t.join();
  EXPECT_EQ(code, 0) << server.log_text().substr(0, 4000);
  for (auto& [s, n] : statuses) EXPECT_TRUE(s == 201 || s == 503) << "status " << s << " x" << n;
  // Every 201 a client received is a hold in Redis, and no hold was made
  // without its client hearing of it.
  auto raw = read_raw(redis, "term");
  EXPECT_EQ(raw.held, created.load());
  EXPECT_EQ(raw.holds_in_cnt, created.load());
  EXPECT_EQ(raw.available + raw.held + raw.sold, raw.capacity);
  auto log = server.log_text();
  EXPECT_NE(log.find("\"msg\":\"stopped\""), std::string::npos);
}

}  // namespace
}  // namespace seatgate::test

namespace seatgate::test {
namespace {

TEST(Limits, ConnectionsOverTheMaximumGet503AndAreClosed) {
  redis_server redis;
  server_process server({redis.url(), {"--max-connections", "3"}, 1, false});
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    int fd = connect_raw(server.port());
    ASSERT_GE(fd, 0);
    held.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the server count them
  int extra = connect_raw(server.port());
  ASSERT_GE(extra, 0);
  auto answer = read_all(extra, std::chrono::seconds(5));
  EXPECT_NE(answer.find("HTTP/1.1 503"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"code\":\"unavailable\""), std::string::npos) << answer;
  EXPECT_NE(answer.find("Retry-After"), std::string::npos) << answer;
  ::close(extra);
  for (int fd : held) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  api_client c(server);
  EXPECT_EQ(c.send("GET", "/healthz").status, 200) << "slots free again once connections close";
}

TEST(Limits, IdleKeepAliveConnectionIsClosed) {
  redis_server redis;
  server_process server({redis.url(), {"--idle-timeout-ms", "300"}, 1, false});
  int fd = connect_raw(server.port());
  ASSERT_GE(fd, 0);
  std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  auto start = std::chrono::steady_clock::now();
  auto text = read_all(fd, std::chrono::seconds(5));  // the answer, then EOF when idle
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_NE(text.find("HTTP/1.1 200"), std::string::npos);
  EXPECT_LT(waited, std::chrono::seconds(5)) << "closed by the server, not by our read timeout";
  ::close(fd);
}

TEST(Limits, SlowBodyGetsRequestTimeout) {
  redis_server redis;
  server_process server({redis.url(), {"--request-timeout-ms", "300"}, 1, false});
  int fd = connect_raw(server.port());
  ASSERT_GE(fd, 0);
  // Headers promise 100 bytes of body; only 10 ever come.
  std::string req =
      "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 100\r\n\r\n{\"event_i";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  auto text = read_all(fd, std::chrono::seconds(5));
  EXPECT_NE(text.find("HTTP/1.1 408"), std::string::npos) << text;
  EXPECT_NE(text.find("request_timeout"), std::string::npos) << text;
  ::close(fd);
}

}  // namespace
}  // namespace seatgate::test

namespace seatgate::test {
namespace {

TEST(Limits, MetricsCanRequireTheAdminToken) {
  redis_server redis;
  server_process server({redis.url(), {"--metrics-auth"}, 1, false});
  api_client c(server);
  EXPECT_EQ(c.send("GET", "/metrics").status, 401);
  EXPECT_EQ(c.send("GET", "/metrics", "", c.user(server.user_token("alice"))).status, 401);
  auto ok = c.send("GET", "/metrics", "", c.admin());
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("seatgate_http_requests_total"), std::string::npos);
}

}  // namespace
}  // namespace seatgate::test

namespace seatgate::test {
namespace {

TEST(Limits, PerUserRateLimitAnswers429AndChangesNothing) {
  redis_server redis;
  server_process server(
      {redis.url(), {"--user-rate-limit", "0.5", "--user-rate-burst", "2"}, 1, false});
  api_client c(server);
  ASSERT_EQ(c.put_event("rl", event_config(100)).status, 201);
  auto alice = server.user_token("alice");
  EXPECT_EQ(c.reserve(alice, "rl", "floor", 1, "a1").status, 201);
  EXPECT_EQ(c.reserve(alice, "rl", "floor", 1, "a2").status, 201);
  auto before = counts(c, "rl");
  auto limited = c.reserve(alice, "rl", "floor", 1, "a3");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.code(), "rate_limited");
  EXPECT_TRUE(limited.js()["retryable"].get<bool>());
  EXPECT_EQ(limited.header("Retry-After"), "2");
  EXPECT_TRUE(counts(c, "rl") == before) << "a limited request changes nothing";
  EXPECT_EQ(c.reserve(server.user_token("bob"), "rl", "floor", 1, "b1").status, 201) << "per user";
  EXPECT_EQ(c.send("GET", "/v1/events/rl").status, 200) << "anonymous reads are not user-limited";
}

}  // namespace
}  // namespace seatgate::test
