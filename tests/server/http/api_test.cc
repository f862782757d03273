// Every implemented row and error code of docs/openapi.yaml over real HTTP, against a
// real seatgate-server and a real redis-server. Every rejected request is
// followed by an audit showing nothing changed.
#include "api_client.h"

#include "auth/jwt.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace seatgate::test {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = new redis_server();
    // A small site for the static-file tests; a secret file beside it must
    // stay unreachable.
    char tmpl[] = "/tmp/seatgate-web-XXXXXX";
    web_dir_ = mkdtemp(tmpl);
    std::filesystem::create_directories(web_dir_ + "/site/sdk");
    std::ofstream(web_dir_ + "/site/index.html") << "<!doctype html><title>shop</title>";
    std::ofstream(web_dir_ + "/site/sdk/seatgate.wasm") << std::string("\0asm\1\0\0\0", 8);
    std::ofstream(web_dir_ + "/site/app.js") << "export {};";
    std::ofstream(web_dir_ + "/secret.txt") << "top secret";
    server_process::options o;
    o.redis_url = redis_->url();
    o.args = {"--cors-origin", "http://shop.example", "--sweep-interval-ms",
              "100",           "--web-root",          web_dir_ + "/site"};
    server_ = new server_process(o);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete redis_;
    std::filesystem::remove_all(web_dir_);
  }
  void SetUp() override {
    client_ = std::make_unique<api_client>(*server_);
    // A fresh event per test keeps tests independent.
    event_ = "ev-" + std::to_string(++counter_);
    auto r = client_->put_event(event_, event_config(100, 600, 10, 10));
    ASSERT_EQ(r.status, 201) << r.body;
    alice_ = server_->user_token("alice");
    bob_ = server_->user_token("bob");
  }

  // Asserts the request was rejected with `status`/`code` and changed nothing.
  void expect_rejected(const http_reply& r, int status, const std::string& code,
                       const zone_counts& before) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.code(), code) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto j = r.js();
    EXPECT_EQ(j.value("type", ""), "urn:seatgate:error:" + code);
    EXPECT_EQ(j.value("status", 0), status);
    EXPECT_TRUE(j.contains("title") && j.contains("detail") && j.contains("retryable"));
    auto after = counts(*client_, event_);
    EXPECT_TRUE(after == before) << after.audit.dump();
    EXPECT_TRUE(after.consistent);
  }

  std::string reserve_ok(const std::string& token, int q, const std::string& key) {
    auto r = client_->reserve(token, event_, "floor", q, key);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.js().value("id", "");
  }

  static redis_server* redis_;
  static server_process* server_;
  static int counter_;
  static std::string web_dir_;
  std::unique_ptr<api_client> client_;
  std::string event_, alice_, bob_;
};
redis_server* ApiTest::redis_ = nullptr;
server_process* ApiTest::server_ = nullptr;
int ApiTest::counter_ = 0;
std::string ApiTest::web_dir_;

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
  for (auto h : {"Authorization", "Content-Type", "Idempotency-Key", "Queue-Pass"})
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

TEST_F(ApiTest, ReserveCreatesAHoldWithLocation) {
  auto r = client_->reserve(alice_, event_, "floor", 3, "key-1");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = r.js();
  EXPECT_EQ(j["status"], "held");
  EXPECT_EQ(j["quantity"], 3);
  EXPECT_EQ(j["amount"], 3 * 4500);
  EXPECT_EQ(j["currency"], "EUR");
  EXPECT_EQ(j["user_id"], "alice");
  EXPECT_TRUE(j["expires_at"].is_string());
  EXPECT_TRUE(j["confirmed_at"].is_null());
  EXPECT_TRUE(j["payment_ref"].is_null());
  std::string id = j["id"];
  EXPECT_EQ(id.rfind(event_ + ".", 0), 0u);
  EXPECT_GE(id.size(), event_.size() + 1 + 16);  // >= 96 random bits
  EXPECT_EQ(r.header("Location"), "/v1/reservations/" + id);
  auto c = counts(*client_, event_);
  EXPECT_EQ(c.held, 3);
  EXPECT_EQ(c.available, 97);
  EXPECT_TRUE(c.consistent);
}

TEST_F(ApiTest, IdempotentReplayAndReuse) {
  auto a = client_->reserve(alice_, event_, "floor", 2, "same-key");
  ASSERT_EQ(a.status, 201);
  auto b = client_->reserve(alice_, event_, "floor", 2, "same-key");
  EXPECT_EQ(b.status, 201);
  EXPECT_EQ(b.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(b.js()["id"], a.js()["id"]);
  auto before = counts(*client_, event_);
  EXPECT_EQ(before.held, 2);
  expect_rejected(client_->reserve(alice_, event_, "floor", 3, "same-key"), 422,
                  "idempotency_key_reused", before);
  // The key is scoped to the user: bob's same key is a new reservation.
  auto c = client_->reserve(bob_, event_, "floor", 2, "same-key");
  EXPECT_EQ(c.status, 201);
  EXPECT_NE(c.js()["id"], a.js()["id"]);
  EXPECT_EQ(c.header("Idempotent-Replayed"), "");
}

TEST_F(ApiTest, ReserveRejectsBadInput) {
  auto before = counts(*client_, event_);
  auto raw = [&](const std::string& body, httplib::Headers h = {},
                 const std::string& type = "application/json") {
    auto hh = client_->user(alice_);
    hh.emplace("Idempotency-Key", "k-bad");
    for (auto& kv : h) hh.insert(kv);
    return client_->send("POST", "/v1/reservations", body, hh, type);
  };
  expect_rejected(raw("{\"event_id\":"), 400, "invalid_json", before);
  expect_rejected(raw("[1,2,3]"), 400, "invalid_request", before);
  expect_rejected(raw("\"text\""), 400, "invalid_request", before);
  expect_rejected(raw(json{{"event_id", 7}, {"zone_id", "floor"}, {"quantity", 1}}.dump()), 400,
                  "invalid_request", before);
  expect_rejected(raw(json{{"event_id", event_}, {"quantity", 1}}.dump()), 400, "invalid_request",
                  before);
  expect_rejected(raw(json{{"event_id", event_}, {"zone_id", "floor"}}.dump()), 400,
                  "invalid_request", before);
  expect_rejected(
      raw(json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 1}, {"price", 1}}.dump()),
      400, "invalid_request", before);
  for (const char* q :
       {"0", "-1", "1.5", "2.0", "\"2\"", "true", "null", "1e30", "18446744073709551616", "101"}) {
    std::string body =
        "{\"event_id\":\"" + event_ + "\",\"zone_id\":\"floor\",\"quantity\":" + q + "}";
    SCOPED_TRACE(q);
    expect_rejected(raw(body), 422, "invalid_quantity", before);
  }
  // Above the event's max_per_order (10) but within the API's bound.
  expect_rejected(client_->reserve(alice_, event_, "floor", 11, "k-11"), 422, "invalid_quantity",
                  before);
  expect_rejected(raw(std::string(20 * 1024, ' ') + "{}"), 413, "payload_too_large", before);
  expect_rejected(raw(json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 1}}.dump(), {},
                      "text/plain"),
                  415, "unsupported_media_type", before);
  expect_rejected(client_->reserve(alice_, "no-such-event", "floor", 1, "k-ev"), 404,
                  "event_not_found", before);
  expect_rejected(client_->reserve(alice_, event_, "balcony", 1, "k-zone"), 404, "zone_not_found",
                  before);
  expect_rejected(client_->reserve(alice_, "Bad_Event", "floor", 1, "k-slug"), 400,
                  "invalid_request", before);
}

TEST_F(ApiTest, IdempotencyKeyIsRequiredAndChecked) {
  auto before = counts(*client_, event_);
  expect_rejected(client_->reserve(alice_, event_, "floor", 1, ""), 400, "missing_idempotency_key",
                  before);
  expect_rejected(client_->reserve(alice_, event_, "floor", 1, std::string(256, 'k')), 400,
                  "invalid_idempotency_key", before);
  expect_rejected(client_->reserve(alice_, event_, "floor", 1, "tab\there"), 400,
                  "invalid_idempotency_key", before);
  auto h = client_->user(alice_);
  h.emplace("Idempotency-Key", "");
  expect_rejected(
      client_->send("POST", "/v1/reservations",
                    json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 1}}.dump(), h),
      400, "invalid_idempotency_key", before);
  EXPECT_EQ(client_->reserve(alice_, event_, "floor", 1, std::string(255, 'k')).status, 201);
}

TEST_F(ApiTest, TokensAreVerified) {
  auto before = counts(*client_, event_);
  auto with = [&](const std::string& auth) {
    return client_->send("POST", "/v1/reservations",
                         json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 1}}.dump(),
                         {{"Authorization", auth}, {"Idempotency-Key", "k-auth"}});
  };
  expect_rejected(
      client_->send("POST", "/v1/reservations",
                    json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 1}}.dump(),
                    {{"Idempotency-Key", "k"}}),
      401, "unauthorized", before);
  auto forged = auth::sign_hs256("alice", 9999999999, "another-secret-another-secret-another");
  expect_rejected(with("Bearer " + forged), 401, "unauthorized", before);
  auto expired = server_->user_token("alice", std::chrono::seconds(-10));
  expect_rejected(with("Bearer " + expired), 401, "unauthorized", before);
  std::string none = auth::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                     auth::base64url_encode(R"({"sub":"alice","exp":9999999999})") + ".";
  expect_rejected(with("Bearer " + none), 401, "unauthorized", before);
  expect_rejected(with("Basic YWxpY2U6cHc="), 401, "unauthorized", before);
  expect_rejected(with("Bearer not.a.jwt"), 401, "unauthorized", before);
}

TEST_F(ApiTest, SoldOutIsRetryableOnlyWhileHoldsExist) {
  ASSERT_EQ(client_->put_event(event_, event_config(2)).status, 200);
  auto rid = reserve_ok(alice_, 2, "a1");
  auto before = counts(*client_, event_);
  auto r = client_->reserve(bob_, event_, "floor", 1, "b1");
  expect_rejected(r, 409, "sold_out", before);
  EXPECT_TRUE(r.js()["retryable"].get<bool>());
  EXPECT_FALSE(r.header("Retry-After").empty());
  ASSERT_EQ(client_->confirm(alice_, rid, "c1").status, 200);
  before = counts(*client_, event_);
  auto r2 = client_->reserve(bob_, event_, "floor", 1, "b1");
  expect_rejected(r2, 409, "sold_out", before);
  EXPECT_FALSE(r2.js()["retryable"].get<bool>());
  EXPECT_EQ(r2.header("Retry-After"), "");
}

TEST_F(ApiTest, UserLimitOverTheEventsLife) {
  ASSERT_EQ(client_->put_event(event_, event_config(100, 600, 10, 3)).status, 200);
  auto rid = reserve_ok(alice_, 2, "u1");
  auto before = counts(*client_, event_);
  auto r = client_->reserve(alice_, event_, "floor", 2, "u2");
  expect_rejected(r, 409, "user_limit_exceeded", before);
  EXPECT_FALSE(r.js()["retryable"].get<bool>());
  ASSERT_EQ(client_->release(alice_, rid).status, 200);
  reserve_ok(alice_, 3, "u3");
}

TEST_F(ApiTest, OwnerOnlyReservations) {
  auto rid = reserve_ok(alice_, 1, "o1");
  EXPECT_EQ(client_->get(alice_, rid).status, 200);
  auto before = counts(*client_, event_);
  expect_rejected(client_->get(bob_, rid), 404, "reservation_not_found", before);
  expect_rejected(client_->release(bob_, rid), 404, "reservation_not_found", before);
  expect_rejected(client_->confirm(bob_, rid, "bob-c"), 404, "reservation_not_found", before);
  expect_rejected(client_->get(alice_, "garbage"), 404, "reservation_not_found", before);
  expect_rejected(client_->get(alice_, event_ + ".AAAAAAAAAAAAAAAAAAAAAA"), 404,
                  "reservation_not_found", before);
  EXPECT_EQ(client_->get("", rid).status, 401);
}

TEST_F(ApiTest, ConfirmFlow) {
  auto rid = reserve_ok(alice_, 2, "cf1");
  auto before = counts(*client_, event_);
  expect_rejected(client_->confirm(alice_, rid, ""), 400, "missing_idempotency_key", before);
  expect_rejected(client_->confirm(alice_, rid, "c-bad", json{{"payment_ref", 5}}), 400,
                  "invalid_request", before);
  auto c = client_->confirm(alice_, rid, "c1", json{{"payment_ref", "pay_123"}});
  ASSERT_EQ(c.status, 200) << c.body;
  auto j = c.js();
  EXPECT_EQ(j["status"], "confirmed");
  EXPECT_EQ(j["payment_ref"], "pay_123");
  EXPECT_TRUE(j["confirmed_at"].is_string());
  auto again = client_->confirm(alice_, rid, "c1", json{{"payment_ref", "pay_123"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  before = counts(*client_, event_);
  EXPECT_EQ(before.sold, 2);
  EXPECT_EQ(before.held, 0);
  expect_rejected(client_->confirm(alice_, rid, "c1", json{{"payment_ref", "other"}}), 422,
                  "idempotency_key_reused", before);
  expect_rejected(client_->confirm(alice_, rid, "c2"), 409, "already_confirmed", before);
  expect_rejected(client_->release(alice_, rid), 409, "already_confirmed", before);
}

TEST_F(ApiTest, ReleaseIsRepeatable) {
  auto rid = reserve_ok(alice_, 4, "r1");
  auto a = client_->release(alice_, rid);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.js()["status"], "released");
  auto c = counts(*client_, event_);
  EXPECT_EQ(c.available, 100);
  EXPECT_EQ(c.held, 0);
  auto b = client_->release(alice_, rid);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, a.body);
  auto before = counts(*client_, event_);
  expect_rejected(client_->confirm(alice_, rid, "after-release"), 409, "reservation_released",
                  before);
}

TEST_F(ApiTest, ExpiredHoldIsReturnedOnceAndCannotBeConfirmed) {
  auto rid = reserve_ok(alice_, 3, "e1");
  // Make the hold due now, in Redis itself (the scripts read time from TIME).
  std::string p = "sg:{e:" + event_ + "}:";
  redis_->command({"HSET", p + "r:" + rid, "expires_at", "1"});
  redis_->command({"ZADD", p + "holds", "1", rid});
  auto before_confirm = client_->confirm(alice_, rid, "late");
  EXPECT_EQ(before_confirm.status, 410) << before_confirm.body;
  EXPECT_EQ(before_confirm.code(), "reservation_expired");
  auto c = counts(*client_, event_);
  EXPECT_EQ(c.available, 100);
  EXPECT_EQ(c.held, 0);
  EXPECT_TRUE(c.consistent);
  EXPECT_EQ(c.audit["reservations"]["expired"], 1);
  EXPECT_EQ(client_->get(alice_, rid).js()["status"], "expired");
  EXPECT_EQ(client_->release(alice_, rid).status, 410);
}

TEST_F(ApiTest, SweeperExpiresDueHolds) {
  auto rid = reserve_ok(alice_, 2, "s1");
  std::string p = "sg:{e:" + event_ + "}:";
  redis_->command({"HSET", p + "r:" + rid, "expires_at", "1"});
  redis_->command({"ZADD", p + "holds", "1", rid});
  zone_counts c;
  for (int i = 0; i < 100; ++i) {  // the sweeper runs every 100 ms here
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto reply = redis_->command({"HGET", p + "r:" + rid, "status"});
    if (reply && reply->str && std::string(reply->str) == "expired") break;
  }
  c = counts(*client_, event_);
  EXPECT_EQ(c.available, 100);
  EXPECT_EQ(c.held, 0);
  EXPECT_EQ(c.audit["reservations"]["expired"], 1);
}

TEST_F(ApiTest, ListMyReservations) {
  auto a = reserve_ok(alice_, 1, "l1");
  auto b = reserve_ok(alice_, 2, "l2");
  reserve_ok(bob_, 1, "l3");
  auto r = client_->send("GET", "/v1/users/me/reservations?event_id=" + event_, "",
                         client_->user(alice_));
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = r.js()["reservations"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], a);
  EXPECT_EQ(list[1]["id"], b);
  EXPECT_EQ(client_->send("GET", "/v1/users/me/reservations", "", client_->user(alice_)).code(),
            "invalid_request");
  EXPECT_EQ(client_->send("GET", "/v1/users/me/reservations?event_id=" + event_).status, 401);
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

}  // namespace
}  // namespace seatgate::test

namespace seatgate::test {
namespace {

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

}  // namespace
}  // namespace seatgate::test

namespace seatgate::test {
namespace {

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
