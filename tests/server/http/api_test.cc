// The API's service rows of docs/openapi.yaml over real HTTP, against a real
// seatgate-server and a real redis-server: health and metrics, request ids,
// CORS, events and their admin routes, methods and limits, the static site
// and the access log. Every rejected request is followed by an audit showing
// nothing changed. Reservations: api_reservations_test.cc.
#include "api_fixture.h"

#include <chrono>
#include <sstream>
#include <thread>

namespace seatgate::test {
namespace {

TEST_F(ApiTest, HealthReadinessMetrics) {
  auto h = client_->send("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  auto r = client_->send("GET", "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  auto m = client_->send("GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("seatgate_http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("seatgate_redis_ready"), std::string::npos);
}

TEST_F(ApiTest, RequestIdEchoedOrGenerated) {
  auto r = client_->send("GET", "/healthz", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.header("X-Request-Id"), "abc-123");
  auto g = client_->send("GET", "/healthz");
  EXPECT_FALSE(g.header("X-Request-Id").empty());
  auto e = client_->send("GET", "/v1/events/nope-nope");
  EXPECT_FALSE(e.header("X-Request-Id").empty());
}

TEST_F(ApiTest, CorsPreflightAndExposedHeaders) {
  auto p = client_->send(
      "OPTIONS", "/v1/reservations", "",
      {{"Origin", "http://shop.example"}, {"Access-Control-Request-Method", "POST"}}, "");
  EXPECT_EQ(p.status, 204);
  EXPECT_EQ(p.header("Access-Control-Allow-Origin"), "http://shop.example");
  for (auto h : {"Authorization", "Content-Type", "Idempotency-Key", "Queue-Pass", "traceparent",
                 "tracestate"})
    EXPECT_NE(p.header("Access-Control-Allow-Headers").find(h), std::string::npos) << h;
  auto g = client_->send("GET", "/v1/events/" + event_, "", {{"Origin", "http://shop.example"}});
  for (auto h : {"Retry-After", "Location", "Idempotent-Replayed", "X-Request-Id"})
    EXPECT_NE(g.header("Access-Control-Expose-Headers").find(h), std::string::npos) << h;
  auto other =
      client_->send("GET", "/v1/events/" + event_, "", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
}

TEST_F(ApiTest, EventPutGetAndUpdate) {
  auto g = client_->send("GET", "/v1/events/" + event_);
  ASSERT_EQ(g.status, 200) << g.body;
  auto j = g.js();
  EXPECT_EQ(j["id"], event_);
  EXPECT_EQ(j["currency"], "EUR");
  EXPECT_EQ(j["zones"][0]["available"], 100);
  EXPECT_EQ(j["zones"][0]["price"], 4500);
  auto cfg = event_config(150);
  auto u = client_->put_event(event_, cfg);
  EXPECT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(counts(*client_, event_).available, 150);
  EXPECT_EQ(client_->send("GET", "/v1/events/no-such-event").code(), "event_not_found");
  auto bad = client_->send("GET", "/v1/events/Bad_Id");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.code(), "invalid_request");
}

TEST_F(ApiTest, AdminRoutesNeedTheAdminToken) {
  auto before = counts(*client_, event_);
  expect_rejected(client_->send("PUT", "/v1/admin/events/" + event_, event_config(5).dump()), 401,
                  "unauthorized", before);
  expect_rejected(client_->send("PUT", "/v1/admin/events/" + event_, event_config(5).dump(),
                                client_->user(alice_)),
                  403, "forbidden", before);
  expect_rejected(client_->send("PUT", "/v1/admin/events/" + event_, event_config(5).dump(),
                                {{"Authorization", "Bearer wrong-admin-token"}}),
                  401, "unauthorized", before);
  EXPECT_EQ(client_->send("GET", "/v1/admin/events/" + event_ + "/audit").status, 401);
  expect_rejected(
      client_->send("POST", "/v1/admin/events/" + event_ + "/status", R"({"status":"paused"})"),
      401, "unauthorized", before);
}

TEST_F(ApiTest, AdminEventConfigIsValidated) {
  auto before = counts(*client_, event_);
  auto put = [&](const std::string& body, const std::string& type = "application/json") {
    return client_->send("PUT", "/v1/admin/events/" + event_, body, client_->admin(), type);
  };
  expect_rejected(put("{not json"), 400, "invalid_json", before);
  expect_rejected(put("[]"), 400, "invalid_request", before);
  auto cfg = event_config(5);
  cfg["currency"] = "euro";
  expect_rejected(put(cfg.dump()), 400, "invalid_request", before);
  cfg = event_config(-1);
  expect_rejected(put(cfg.dump()), 400, "invalid_request", before);
  expect_rejected(put(event_config(5).dump(), "text/plain"), 415, "unsupported_media_type", before);
  auto bad_id =
      client_->send("PUT", "/v1/admin/events/UPPER", event_config(5).dump(), client_->admin());
  EXPECT_EQ(bad_id.status, 400);
}

TEST_F(ApiTest, CapacityShrinksOnlyDownToCommitted) {
  reserve_ok(alice_, 5, "k1");
  auto before = counts(*client_, event_);
  expect_rejected(client_->put_event(event_, event_config(4)), 409, "capacity_below_committed",
                  before);
  auto ok = client_->put_event(event_, event_config(5));
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto c = counts(*client_, event_);
  EXPECT_EQ(c.capacity, 5);
  EXPECT_EQ(c.available, 0);
  EXPECT_EQ(c.held, 5);
  EXPECT_TRUE(c.consistent);
}

TEST_F(ApiTest, StatusPausedRefusesReservations) {
  auto s = client_->send("POST", "/v1/admin/events/" + event_ + "/status", R"({"status":"paused"})",
                         client_->admin());
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.js()["status"], "paused");
  auto before = counts(*client_, event_);
  expect_rejected(client_->reserve(alice_, event_, "floor", 1, "k"), 409, "event_not_on_sale",
                  before);
  auto bad = client_->send("POST", "/v1/admin/events/" + event_ + "/status",
                           R"({"status":"sleeping"})", client_->admin());
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(client_
                ->send("POST", "/v1/admin/events/nope-x/status", R"({"status":"paused"})",
                       client_->admin())
                .code(),
            "event_not_found");
}

TEST_F(ApiTest, MethodsPathsAndLimits) {
  auto m = client_->send("PATCH", "/v1/reservations", "{}", client_->user(alice_));
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.code(), "method_not_allowed");
  EXPECT_EQ(m.header("Allow"), "POST");
  EXPECT_EQ(client_->send("GET", "/v1/nothing-here").code(), "not_found");
  EXPECT_EQ(client_->send("POST", "/v1/demo/token", R"({"user":"alice"})").status,
            404);  // demo off
  auto before = counts(*client_, event_);
  auto big =
      client_->send("GET", "/v1/events/" + event_, "", {{"X-Big", std::string(10 * 1024, 'x')}});
  EXPECT_EQ(big.status, 431);
  EXPECT_EQ(big.header("X-Request-Id").size(), 16u)
      << "an id even when the headers were refused";
  auto huge = client_->send("POST", "/v1/reservations", std::string(20 * 1024, ' '),
                            {{"X-Request-Id", "too-big-1"}});
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(huge.header("X-Request-Id"), "too-big-1");
  EXPECT_TRUE(counts(*client_, event_) == before);
}

TEST_F(ApiTest, StaticSiteWithMimeTypesAndNoTraversal) {
  auto index = client_->send("GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("shop"), std::string::npos);
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");
  auto wasm = client_->send("GET", "/sdk/seatgate.wasm");
  EXPECT_EQ(wasm.status, 200);
  EXPECT_EQ(wasm.header("Content-Type"), "application/wasm");
  EXPECT_EQ(wasm.body.size(), 8u);
  auto js = client_->send("GET", "/app.js");
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  // Connection: close because cpp-httplib reads a length-less 304 until EOF.
  auto again = client_->send("GET", "/app.js", "",
                             {{"If-None-Match", js.header("ETag")}, {"Connection", "close"}});
  EXPECT_EQ(again.status, 304);
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/sdk/../../secret.txt",
                           "/%2E%2E%2Fsecret.txt", "/nope.html", "/sdk/%00.wasm"}) {
    auto r = client_->send("GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << path;
  }
  EXPECT_EQ(client_->send("POST", "/index.html", "{}").status, 404);
}

TEST_F(ApiTest, OneJsonLogLinePerRequest) {
  auto r =
      client_->reserve(alice_, event_, "floor", 1, "log-key", {{"X-Request-Id", "log-check-1"}});
  ASSERT_EQ(r.status, 201);
  json line;
  for (int i = 0; i < 100 && line.is_null(); ++i) {  // access lines are flushed within ~50 ms
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::istringstream in(server_->log_text());
    for (std::string l; std::getline(in, l);) {
      if (l.find("log-check-1") == std::string::npos) continue;
      line = json::parse(l, nullptr, false);
    }
  }
  ASSERT_TRUE(line.is_object()) << server_->log_text().substr(0, 2000);
  EXPECT_EQ(line["msg"], "request");
  EXPECT_EQ(line["method"], "POST");
  EXPECT_EQ(line["path"], "/v1/reservations");
  EXPECT_EQ(line["status"], 201);
  EXPECT_EQ(line["request_id"], "log-check-1");
  EXPECT_EQ(line["user"], "alice");
  EXPECT_TRUE(line["latency_ms"].is_number());
  EXPECT_TRUE(line["ts"].is_string());
}

}  // namespace
}  // namespace seatgate::test
