// Rate limits and token time checks against a real seatgate-server: the
// per-user and per-IP buckets are shared by every I/O thread, a 429 says
// when to come back, health, metrics and static files are never limited, and
// a token that is not valid yet changes nothing.
#include "api_client.h"
#include "auth/jwt.h"
#include "loopback.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>
#include <vector>

namespace seatgate::test {
namespace {

using clock_type = std::chrono::steady_clock;

struct burst_result {
  long answered = 0, limited = 0, failed = 0;
  double elapsed_s = 0;  // from before the first request to after the last answer
};

// `connections` keep-alive connections, opened (and spread over the server's
// I/O threads by its round-robin accept) before the burst; then each sends
// `per_connection` requests at once. Counts non-429 answers and 429s.
burst_result burst(const server_process& server, int connections, int per_connection,
                   const std::string& path, const httplib::Headers& headers) {
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < connections; ++i) {
    auto c = std::make_unique<httplib::Client>(server.host(), server.port());
    c->set_keep_alive(true);
    c->set_read_timeout(30, 0);
    auto warm = c->Get("/healthz");  // opens the connection; never limited
    EXPECT_TRUE(warm && warm->status == 200);
    clients.push_back(std::move(c));
  }
  std::atomic<long> answered{0}, limited{0}, failed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (auto& c : clients) {
    threads.emplace_back([&, cli = c.get()] {
      while (!go.load()) std::this_thread::yield();
      for (int n = 0; n < per_connection; ++n) {
        auto res = cli->Get(path, headers);
        if (!res)
          ++failed;
        else if (res->status == 429)
          ++limited;
        else
          ++answered;
      }
    });
  }
  const auto start = clock_type::now();
  go = true;
  for (auto& t : threads) t.join();
  burst_result r;
  r.elapsed_s = std::chrono::duration<double>(clock_type::now() - start).count();
  r.answered = answered;
  r.limited = limited;
  r.failed = failed;
  return r;
}

void expect_rate_limited(const http_reply& r) {
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(r.code(), "rate_limited");
  auto j = r.js();
  ASSERT_TRUE(j.is_object()) << r.body;
  EXPECT_EQ(j.value("status", 0), 429);
  EXPECT_TRUE(j.value("retryable", false));
  const auto retry = r.header("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GE(std::stoi(retry), 1);
}

// One HTTP/1.1 request over a socket bound to `source` (any 127.0.0.0/8
// address reaches the server on 127.0.0.1). Returns the status, 0 on failure.
int get_from(const std::string& source, unsigned short port, const std::string& path) {
  int fd = connect_raw(port, source.c_str());
  if (fd < 0) return 0;
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return 0;
  }
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, n);
  ::close(fd);
  if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return 0;
  return std::stoi(reply.substr(9, 3));
}

TEST(RateLimits, OneUsersBucketIsSharedByAllThreadsAndConnections) {
  redis_server redis;
  constexpr double k_rate = 1, k_burst = 10;
  constexpr unsigned k_threads = 4;
  server_process server(
      {redis.url(), {"--user-rate-limit", "1", "--user-rate-burst", "10"}, k_threads, false});
  api_client c(server);
  const auto alice = server.user_token("alice");
  // 8 connections, two per I/O thread, 10 requests each at once: a bucket per
  // thread would let about threads x burst = 40 through.
  auto r = burst(server, 8, 10, "/v1/reservations/r-none", c.user(alice));
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.answered + r.limited, 80);
  const double bound = k_burst + k_rate * r.elapsed_s + 1;
  EXPECT_GE(r.answered, static_cast<long>(k_burst));
  EXPECT_LE(static_cast<double>(r.answered), bound)
      << r.answered << " answered in " << r.elapsed_s << " s";

  expect_rate_limited(c.get(alice, "r-none"));
  EXPECT_EQ(c.get(server.user_token("bob"), "r-none").status, 404) << "bob has his own bucket";
  auto m = c.send("GET", "/metrics").body;
  EXPECT_GE(metric(m, "seatgate_rate_limited_total{scope=\"user\"}"), r.limited + 1);
  EXPECT_EQ(metric(m, "seatgate_rate_limited_total{scope=\"ip\"}"), 0);
}

TEST(RateLimits, OneAddressIsLimitedAndAnotherIsNot) {
  redis_server redis;
  std::string root = std::filesystem::temp_directory_path() / "seatgate-limits-web-XXXXXX";
  ASSERT_TRUE(::mkdtemp(root.data()));
  std::ofstream(root + "/index.html") << "<!doctype html><title>t</title>";
  server_process server({redis.url(),
                         {"--ip-rate-limit", "1", "--ip-rate-burst", "10", "--web-root", root},
                         3,
                         false});
  api_client c(server);
  ASSERT_EQ(c.put_event("ip", event_config(100)).status, 201);
  auto r = burst(server, 6, 10, "/v1/events/ip", {});
  EXPECT_EQ(r.failed, 0);
  EXPECT_GE(r.answered, 10);
  EXPECT_LE(static_cast<double>(r.answered), 10 + r.elapsed_s + 1)
      << r.answered << " answered in " << r.elapsed_s << " s";
  expect_rate_limited(c.send("GET", "/v1/events/ip"));
  // A user token does not lift the address's limit.
  expect_rate_limited(c.get(server.user_token("carol"), "r-none"));

  EXPECT_EQ(get_from("127.0.0.2", server.port(), "/v1/events/ip"), 200) << "another address";
  EXPECT_EQ(get_from("127.0.0.1", server.port(), "/v1/events/ip"), 429);

  // Never limited: health, readiness, metrics, static files, CORS preflights
  // and the operator's admin token.
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(c.send("GET", "/healthz").status, 200);
    ASSERT_EQ(c.send("GET", "/readyz").status, 200);
    ASSERT_EQ(c.send("GET", "/metrics").status, 200);
    ASSERT_EQ(c.send("GET", "/index.html").status, 200);
    ASSERT_EQ(c.send("OPTIONS", "/v1/reservations", "", {{"Origin", "http://x"}}).status, 204);
  }
  EXPECT_EQ(c.audit("ip").status, 200);
  EXPECT_EQ(c.put_event("ip2", event_config(10)).status, 201);
  auto m = c.send("GET", "/metrics").body;
  EXPECT_GE(metric(m, "seatgate_rate_limited_total{scope=\"ip\"}"), r.limited + 3);
  std::filesystem::remove_all(root);
}

TEST(RateLimits, DefaultsAreOnAndLetAPoliteClientThrough) {
  redis_server redis;
  server_process::options o{redis.url(), {}, 2, false};
  o.rate_limits = true;  // the server's own defaults
  server_process server(o);
  api_client c(server);
  ASSERT_EQ(c.put_event("d", event_config(100)).status, 201);
  const auto alice = server.user_token("alice");
  // A checkout: read the event, hold, look, confirm, list.
  EXPECT_EQ(c.send("GET", "/v1/events/d").status, 200);
  auto held = c.reserve(alice, "d", "floor", 2, "k1");
  ASSERT_EQ(held.status, 201) << held.body;
  const std::string rid = held.js()["id"];
  EXPECT_EQ(c.get(alice, rid).status, 200);
  EXPECT_EQ(c.confirm(alice, rid, "k2").status, 200);
  EXPECT_EQ(c.send("GET", "/v1/users/me/reservations?event_id=d", "", c.user(alice)).status, 200);
  // A flood from one user is cut at the default bucket (20 = 2 x 10/s).
  auto r = burst(server, 4, 15, "/v1/reservations/" + rid, c.user(alice));
  EXPECT_GT(r.limited, 0);
  EXPECT_LE(static_cast<double>(r.answered), 20 + 10 * r.elapsed_s + 1);
  EXPECT_EQ(c.get(server.user_token("bob"), rid).status, 404) << "bob is not limited";
}

// A token signed with the server's secret, with any payload.
std::string token_with(const server_process& s, const json& payload) {
  const std::string input = auth::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                            auth::base64url_encode(payload.dump());
  return input + "." + auth::hs256_signature(input, s.jwt_secret());
}

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(TokenTimes, NotYetValidTokenIs401AndChangesNothing) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  api_client c(server);
  ASSERT_EQ(c.put_event("nbf", event_config(100)).status, 201);
  const auto before = counts(c, "nbf");
  // Issued ahead for a sale that starts in an hour.
  const auto early =
      token_with(server, {{"sub", "alice"}, {"nbf", now_s() + 3600}, {"exp", now_s() + 7200}});
  auto r = c.reserve(early, "nbf", "floor", 1, "k1");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.code(), "unauthorized");
  EXPECT_NE(r.js().value("detail", "").find("not valid yet"), std::string::npos) << r.body;
  EXPECT_EQ(c.send("POST", "/v1/events/nbf/queue", "", c.user(early)).status, 401);
  EXPECT_TRUE(counts(c, "nbf") == before) << "a refused token changes nothing";
  // The same claims an hour later (nbf in the past) are accepted.
  const auto valid =
      token_with(server, {{"sub", "alice"}, {"nbf", now_s() - 10}, {"exp", now_s() + 3600}});
  EXPECT_EQ(c.reserve(valid, "nbf", "floor", 1, "k1").status, 201);

  // A token that would live forever is refused too, with the reason.
  const auto forever =
      token_with(server, {{"sub", "alice"}, {"exp", std::numeric_limits<std::uint64_t>::max()}});
  auto f = c.reserve(forever, "nbf", "floor", 1, "k2");
  EXPECT_EQ(f.status, 401) << f.body;
  EXPECT_NE(f.js().value("detail", "").find("lifetime"), std::string::npos) << f.body;
}

}  // namespace
}  // namespace seatgate::test
