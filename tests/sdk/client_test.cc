// The native client over real sockets, against an in-process httplib server:
// transport mapping (network, timeout), retries, cancellation, keys.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <seatgate/client.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "fake.h"
#include "local_server.h"

namespace seatgate::test {
namespace {

client_options fast(const std::string& url) {
  client_options o;
  o.base_url = url;
  o.token_provider = [] { return std::string("tok"); };
  o.retry.base_delay = milliseconds(5);
  o.retry.max_delay = milliseconds(20);
  return o;
}

TEST(NativeClient, ReserveRetriesWithOneKeyThenSucceeds) {
  local_server s;
  std::mutex mu;
  std::vector<std::string> keys;
  std::atomic<int> calls{0};
  s.srv().Post("/v1/reservations", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu);
      keys.push_back(req.get_header_value("Idempotency-Key"));
    }
    EXPECT_EQ(req.get_header_value("Authorization"), "Bearer tok");
    if (calls++ < 2) {
      res.status = 503;
      res.set_header("Retry-After", "0");
      res.set_content(R"({"code":"unavailable","retryable":true})", "application/problem+json");
      return;
    }
    res.status = 201;
    res.set_header("Idempotent-Replayed", "true");
    res.set_content(reservation_json, "application/json");
  });
  std::vector<retry_info> retries;
  auto o = fast(s.url());
  o.on_retry = [&](const retry_info& i) { retries.push_back(i); };
  client c(o);
  auto r = c.reserve({.event_id = "summer", .zone_id = "floor", .quantity = 2});
  ASSERT_TRUE(r.ok()) << r.error().code << " " << r.error().message;
  EXPECT_EQ(r->id, "summer.AAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_TRUE(r->replayed);
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_TRUE(is_uuid_v4(keys[0]));
  EXPECT_EQ(keys[0], keys[1]);
  EXPECT_EQ(keys[1], keys[2]);
  ASSERT_EQ(retries.size(), 2u);
  EXPECT_EQ(retries[0].reason, "unavailable");
}

TEST(NativeClient, NonRetryableProblemComesBackAsIs) {
  local_server s;
  std::atomic<int> calls{0};
  s.srv().Post("/v1/reservations", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 422;
    res.set_header("X-Request-Id", "r-1");
    res.set_content(
        R"({"code":"idempotency_key_reused","retryable":false,"detail":"Different request"})",
        "application/problem+json");
  });
  client c(fast(s.url()));
  auto r = c.reserve(
      {.event_id = "summer", .zone_id = "floor", .quantity = 2, .idempotency_key = "k-1"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "idempotency_key_reused");
  EXPECT_EQ(r.error().http_status, 422);
  EXPECT_EQ(r.error().message, "Different request");
  EXPECT_EQ(r.error().request_id, "r-1");
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_EQ(calls.load(), 1);
}

TEST(NativeClient, ConnectionRefusedIsNetwork) {
  int port;
  {
    local_server s;  // grab a free port, then close it
    port = std::stoi(s.url().substr(s.url().rfind(':') + 1));
  }
  auto o = fast("http://127.0.0.1:" + std::to_string(port));
  o.retry.max_attempts = 2;
  client c(o);
  auto r = c.get_event("summer");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "network");
  EXPECT_EQ(r.error().attempts, 2);
}

TEST(NativeClient, SlowAnswerIsTimeout) {
  local_server s;
  s.srv().Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(400));
    res.set_content(R"({"id":"summer"})", "application/json");
  });
  auto o = fast(s.url());
  o.request_timeout = milliseconds(100);
  o.retry.max_attempts = 2;
  client c(o);
  auto r = c.get_event("summer");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "timeout");
  EXPECT_EQ(r.error().attempts, 2);
}

TEST(NativeClient, CancelDuringBackoffReturnsAtOnce) {
  local_server s;
  s.srv().Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "10");
  });
  client c(fast(s.url()));
  cancel_token t;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(150));
    t.cancel();
  });
  auto t0 = std::chrono::steady_clock::now();
  auto r = c.get_event("summer", &t);
  auto took = std::chrono::steady_clock::now() - t0;
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "cancelled");
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(NativeClient, AnAlreadyCancelledTokenSendsNothingAndCountsNoAttempt) {
  local_server s;
  std::atomic<int> calls{0};
  s.srv().Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.set_content(R"({"id":"summer"})", "application/json");
  });
  client c(fast(s.url()));
  cancel_token t;
  t.cancel();
  auto r = c.get_event("summer", &t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "cancelled");
  EXPECT_EQ(r.error().attempts, 0);
  EXPECT_EQ(calls.load(), 0);
}

TEST(NativeClient, CancelInFlightAbortsTheRequest) {
  local_server s;
  s.srv().Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(1500));
    res.set_content(R"({"id":"summer"})", "application/json");
  });
  client c(fast(s.url()));
  cancel_token t;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(100));
    t.cancel();
  });
  auto t0 = std::chrono::steady_clock::now();
  auto r = c.get_event("summer", &t);
  auto took = std::chrono::steady_clock::now() - t0;
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "cancelled");
  EXPECT_LT(took, milliseconds(1400));
}

// The observability hooks, as the C API and JavaScript have them: on_attempt
// sees each request as it ended, log gets a debug line per attempt and an
// info line per retry.
TEST(NativeClient, AttemptHookAndLogSeeEveryAttemptAndRetry) {
  local_server s;
  std::atomic<int> calls{0};
  s.srv().Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Request-Id", "req-" + std::to_string(calls.load()));
    if (calls++ == 0) {
      res.status = 503;
      res.set_header("Retry-After", "0");
      res.set_content(R"({"code":"unavailable","retryable":true})", "application/problem+json");
      return;
    }
    res.set_content(R"({"id":"summer"})", "application/json");
  });
  std::vector<attempt_info> attempts;
  std::vector<std::pair<log_level, std::string>> lines;
  int retries = 0;
  auto o = fast(s.url());
  o.on_attempt = [&](const attempt_info& a) { attempts.push_back(a); };
  o.log = [&](log_level l, const std::string& line) { lines.emplace_back(l, line); };
  o.on_retry = [&](const retry_info&) { ++retries; };  // still told, beside the log
  client c(o);
  ASSERT_TRUE(c.get_event("summer").ok());
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].method, "GET");
  EXPECT_EQ(attempts[0].url, s.url() + "/v1/events/summer");
  EXPECT_EQ(attempts[0].status, 503);
  EXPECT_EQ(attempts[0].request_id, "req-0");
  EXPECT_EQ(attempts[1].status, 200);
  EXPECT_EQ(attempts[1].failure, "");
  EXPECT_EQ(retries, 1);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].first, log_level::debug);
  EXPECT_EQ(lines[0].second.rfind("GET " + s.url() + "/v1/events/summer -> 503 (", 0), 0u)
      << lines[0].second;
  EXPECT_NE(lines[0].second.find(", request id req-0)"), std::string::npos) << lines[0].second;
  EXPECT_EQ(lines[1].first, log_level::info);
  EXPECT_EQ(lines[1].second.rfind("retrying (attempt 2) in ", 0), 0u) << lines[1].second;
  EXPECT_NE(lines[1].second.find(" ms after unavailable"), std::string::npos);
  EXPECT_EQ(lines[2].first, log_level::debug);
  EXPECT_NE(lines[2].second.find("-> 200 ("), std::string::npos) << lines[2].second;

  // A failed attempt is logged with its failure.
  client_options down = fast("http://127.0.0.1:9");
  down.retry.max_attempts = 1;
  std::vector<std::string> down_lines;
  down.log = [&](log_level, const std::string& line) { down_lines.push_back(line); };
  client d(down);
  EXPECT_FALSE(d.get_event("summer").ok());
  ASSERT_EQ(down_lines.size(), 1u);
  EXPECT_NE(down_lines[0].find("-> network ("), std::string::npos) << down_lines[0];
}

TEST(NativeClient, BaseUrlPathPrefixAndConcurrentCalls) {
  local_server s;
  s.srv().Get(R"(/api/v1/events/([a-z0-9-]+))", [&](const httplib::Request& req,
                                                    httplib::Response& res) {
    res.set_content(std::string(R"({"id":")") + req.matches[1].str() + "\"}", "application/json");
  });
  client c(fast(s.url() + "/api/"));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      for (int j = 0; j < 20; ++j) {
        auto r = c.get_event("e" + std::to_string(i));
        if (r.ok() && r->id == "e" + std::to_string(i)) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
}

// A self-signed certificate for 127.0.0.1, made in memory.
struct self_signed {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  self_signed() {
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
  }
  ~self_signed() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// An https server whose certificate no CA vouches for: the client refuses it
// at once with "tls" (never retried as "network"), and no request is sent.
TEST(NativeClient, UntrustedCertificateIsTlsAndNotRetried) {
  self_signed id;
  ASSERT_NE(id.key, nullptr);
  httplib::SSLServer srv(id.cert, id.key);
  ASSERT_TRUE(srv.is_valid());
  std::atomic<int> calls{0};
  srv.Get("/v1/events/summer", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.set_content(R"({"id":"summer"})", "application/json");
  });
  const int port = srv.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  std::thread th([&] { srv.listen_after_bind(); });
  while (!srv.is_running()) std::this_thread::sleep_for(milliseconds(1));

  std::vector<retry_info> retries;
  auto o = fast("https://127.0.0.1:" + std::to_string(port));
  o.on_retry = [&](const retry_info& i) { retries.push_back(i); };
  client c(o);
  auto r = c.get_event("summer");
  srv.stop();
  th.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "tls") << r.error().message;
  EXPECT_FALSE(r.error().retryable);
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_TRUE(retries.empty());
  EXPECT_EQ(calls.load(), 0);
}

TEST(NativeKeys, AMillionKeysAreDistinctWellFormedV4) {
  environment env = system_environment();
  std::unordered_set<std::string> seen;
  seen.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    std::string k = uuid_v4(env);
    ASSERT_TRUE(is_uuid_v4(k)) << k;
    ASSERT_TRUE(seen.insert(std::move(k)).second) << "duplicate key after " << i;
  }
  // Every random hex digit position takes all 16 values over the sample.
  client c(client_options{});
  EXPECT_TRUE(is_uuid_v4(c.new_idempotency_key()));
}

// Seated zones over real sockets: the seat map's ETag comes back as
// If-None-Match and the 304 is the client's copy; a pick is sent as seats,
// and a refused pick names the taken seats.
TEST(NativeClient, SeatMapETagAndPickedSeats) {
  local_server s;
  std::atomic<int> maps{0}, not_modified{0};
  s.srv().Get("/v1/events/gala/zones/stalls/seats", [&](const httplib::Request& req,
                                                        httplib::Response& res) {
    ++maps;
    res.set_header("ETag", "\"v7\"");
    if (req.get_header_value("If-None-Match") == "\"v7\"") {
      ++not_modified;
      res.status = 304;
      return;
    }
    res.set_content(R"({"event_id":"gala","zone_id":"stalls","available":3,"rows":[{"id":"A",)"
                    R"("seats":4,"aisles_after":[2],"states":"ahaa"}],"unavailable":[],)"
                    R"("categories":{},"category_prices":{}})",
                    "application/json");
  });
  std::string body;
  s.srv().Post("/v1/reservations", [&](const httplib::Request& req, httplib::Response& res) {
    body = req.body;
    res.status = 409;
    res.set_content(R"({"code":"seats_taken","retryable":false,"taken":["A-3"]})",
                    "application/problem+json");
  });
  client c(fast(s.url()));
  auto m = c.get_seat_map("gala", "stalls");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->etag, "\"v7\"");
  EXPECT_EQ(m->state_of("A-2"), 'h');
  auto again = c.get_seat_map("gala", "stalls");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->not_modified);
  EXPECT_EQ(again->rows.at(0).states, "ahaa");
  EXPECT_EQ(maps.load(), 2);
  EXPECT_EQ(not_modified.load(), 1);

  auto taken = c.reserve({.event_id = "gala", .zone_id = "stalls", .seats = {"A-2"}});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, errc::validation_seat_taken);  // the map says so
  auto r = c.reserve({.event_id = "gala", .zone_id = "stalls", .seats = {"A-3", "A-4"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::seats_taken);
  EXPECT_EQ(r.error().taken, (std::vector<std::string>{"A-3"}));
  EXPECT_EQ(r.error().attempts, 1);
  EXPECT_EQ(body, R"({"event_id":"gala","seats":["A-3","A-4"],"zone_id":"stalls"})");
}

}  // namespace
}  // namespace seatgate::test
