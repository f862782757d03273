// The route table (http/routes.h) in-process: the environment and services
// are built on this test's io_context over a real redis-server, a Beast
// request goes in, the response is checked. No seatgate-server process.
#include "auth/jwt.h"
#include "config.h"
#include "http/context.h"
#include "http/environment.h"
#include "http/routes.h"
#include "inventory/service.h"
#include "jobs/pass_deleter.h"
#include "metrics/metrics.h"
#include "queue/service.h"
#include "redis/connection.h"
#include "redis_server.h"
#include "util/time.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace seatgate {
namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using json = nlohmann::json;

constexpr const char* k_event_config = R"({
  "name": "Routes", "currency": "EUR", "status": "on_sale",
  "zones": [{"id": "floor", "name": "Floor", "capacity": 10, "price": 4500}]})";

class RoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = new test::redis_server(); }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }

  void SetUp() override {
    cfg_.jwt_secret = "routes-test-secret-0123456789abcdef0123456789";
    cfg_.admin_token = "routes-admin-token";
    cfg_.cors_origins = {"http://shop.example"};
    redis::options ro;
    ro.url = redis_->url();
    conn_ = std::make_unique<redis::connection>(ioc_.get_executor(), ro, stats_);
    queue_ = std::make_unique<queue::service>(*conn_);
    passes_ = std::make_unique<jobs::pass_deleter>(ioc_.get_executor(), *queue_, metrics_);
    reservations_ = std::make_unique<inventory::service>(
        *conn_, metrics_, 0, [this](std::string event_id, std::string token) {
          passes_->schedule(std::move(event_id), std::move(token));
        });
    env_ = std::make_unique<http::environment>(
        http::environment{cfg_, metrics_, *reservations_, *queue_, stats_});
    conn_->start();
    for (int i = 0; i < 500 && !conn_->ready(); ++i) ioc_.run_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(conn_->ready());
    event_ = "routes-" + std::to_string(++counter_);
  }

  void TearDown() override {
    conn_->stop();
    ioc_.run_for(std::chrono::milliseconds(10));
  }

  // Feeds one request to the route table and runs the io_context until it
  // is answered (bounded).
  http::response call(bhttp::verb verb, const std::string& target, const std::string& body = "",
                      std::initializer_list<std::pair<std::string, std::string>> headers = {},
                      metrics::route* label = nullptr) {
    http::request req{verb, target, 11};
    req.set(bhttp::field::host, "localhost");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::request_context ctx{*env_, {}, {}, metrics::route::other, "127.0.0.1"};
    std::optional<http::response> out;
    net::co_spawn(
        ioc_, [&]() -> net::awaitable<void> { out = co_await http::handle_request(req, ctx); },
        net::detached);
    for (int i = 0; i < 1000 && !out; ++i) ioc_.run_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(out) << "no answer to " << target;
    if (label) *label = ctx.route;
    return out ? std::move(*out) : http::response{};
  }

  std::pair<std::string, std::string> admin() const {
    return {"Authorization", "Bearer " + cfg_.admin_token};
  }
  std::pair<std::string, std::string> user(const std::string& name) const {
    return {"Authorization",
            "Bearer " + auth::sign_hs256(name, util::now_s() + 600, cfg_.jwt_secret)};
  }

  void put_event() {
    auto r = call(bhttp::verb::put, "/v1/admin/events/" + event_, k_event_config, {admin()});
    ASSERT_EQ(r.result_int(), 201u) << r.body();
  }
  json audit() {
    auto r = call(bhttp::verb::get, "/v1/admin/events/" + event_ + "/audit", "", {admin()});
    EXPECT_EQ(r.result_int(), 200u) << r.body();
    return json::parse(r.body(), nullptr, false);
  }
  static json code_of(const http::response& r) {
    return json::parse(r.body(), nullptr, false).value("code", json());
  }

  static test::redis_server* redis_;
  static int counter_;
  net::io_context ioc_{1};
  config cfg_;
  redis::stats stats_;
  metrics::registry metrics_;
  std::unique_ptr<redis::connection> conn_;
  std::unique_ptr<queue::service> queue_;
  std::unique_ptr<jobs::pass_deleter> passes_;
  std::unique_ptr<inventory::service> reservations_;
  std::unique_ptr<http::environment> env_;
  std::string event_;
};
test::redis_server* RoutesTest::redis_ = nullptr;
int RoutesTest::counter_ = 0;

TEST_F(RoutesTest, ReserveIsCreatedThenReplayed) {
  put_event();
  const std::string body = json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 2}}.dump();
  metrics::route label = metrics::route::other;
  auto a = call(bhttp::verb::post, "/v1/reservations", body,
                {user("alice"), {"Idempotency-Key", "k-1"}}, &label);
  ASSERT_EQ(a.result_int(), 201u) << a.body();
  EXPECT_EQ(label, metrics::route::reserve);
  EXPECT_EQ(a.count("Idempotent-Replayed"), 0u);
  const auto first = json::parse(a.body());
  EXPECT_EQ(first["status"], "held");
  EXPECT_EQ(first["quantity"], 2);
  EXPECT_EQ(a[bhttp::field::location], "/v1/reservations/" + first["id"].get<std::string>());

  // The same key again: the first answer, marked as a replay (docs/openapi.yaml: 201).
  auto b = call(bhttp::verb::post, "/v1/reservations", body,
                {user("alice"), {"Idempotency-Key", "k-1"}});
  ASSERT_EQ(b.result_int(), 201u) << b.body();
  EXPECT_EQ(b["Idempotent-Replayed"], "true");
  EXPECT_EQ(json::parse(b.body())["id"], first["id"]);
  EXPECT_EQ(audit()["zones"][0]["held"], 2) << audit().dump();
}

TEST_F(RoutesTest, WrongMethodIs405WithAllow) {
  metrics::route label = metrics::route::other;
  auto r = call(bhttp::verb::delete_, "/v1/reservations", "", {}, &label);
  EXPECT_EQ(r.result_int(), 405u);
  EXPECT_EQ(r[bhttp::field::allow], "POST");
  EXPECT_EQ(code_of(r), "method_not_allowed");
  EXPECT_EQ(label, metrics::route::reserve);
  auto h = call(bhttp::verb::post, "/healthz");
  EXPECT_EQ(h.result_int(), 405u);
  EXPECT_EQ(h[bhttp::field::allow], "GET, HEAD");
  auto q = call(bhttp::verb::put, "/v1/events/" + event_ + "/queue/me");
  EXPECT_EQ(q[bhttp::field::allow], "GET, DELETE");
}

TEST_F(RoutesTest, OptionsIsAPreflight) {
  auto r = call(bhttp::verb::options, "/v1/reservations", "",
                {{"Origin", "http://shop.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(r.result_int(), 204u);
  EXPECT_EQ(r[bhttp::field::access_control_allow_origin], "http://shop.example");
  EXPECT_EQ(r[bhttp::field::access_control_allow_methods], "GET, POST, PUT, DELETE, OPTIONS");
  EXPECT_NE(r[bhttp::field::access_control_allow_headers].find("Idempotency-Key"),
            std::string::npos);
  EXPECT_FALSE(r["X-Request-Id"].empty());
}

TEST_F(RoutesTest, NoTokenIs401) {
  auto r = call(bhttp::verb::get, "/v1/reservations/" + event_ + ".AAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(r.result_int(), 401u);
  EXPECT_EQ(code_of(r), "unauthorized");
  EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
}

TEST_F(RoutesTest, UnknownRouteIs404) {
  metrics::route label = metrics::route::reserve;
  auto r = call(bhttp::verb::get, "/v1/no/such/route", "", {}, &label);
  EXPECT_EQ(r.result_int(), 404u);
  EXPECT_EQ(code_of(r), "not_found");
  EXPECT_EQ(label, metrics::route::other);
  // The demo login exists only with --demo.
  EXPECT_EQ(call(bhttp::verb::post, "/v1/demo/token", R"({"user":"u"})").result_int(), 404u);
}

TEST_F(RoutesTest, AdminRouteIsForbiddenToAUser) {
  auto r = call(bhttp::verb::put, "/v1/admin/events/" + event_, k_event_config, {user("alice")});
  EXPECT_EQ(r.result_int(), 403u);
  EXPECT_EQ(code_of(r), "forbidden");
  auto g = call(bhttp::verb::get, "/v1/events/" + event_);
  EXPECT_EQ(g.result_int(), 404u);  // nothing was created
  EXPECT_EQ(code_of(g), "event_not_found");
}

TEST_F(RoutesTest, ValidationFailureIs422AndChangesNothing) {
  put_event();
  const json before = audit();
  auto r = call(bhttp::verb::post, "/v1/reservations",
                json{{"event_id", event_}, {"zone_id", "floor"}, {"quantity", 0}}.dump(),
                {user("alice"), {"Idempotency-Key", "k-0"}});
  EXPECT_EQ(r.result_int(), 422u) << r.body();
  EXPECT_EQ(code_of(r), "invalid_quantity");
  auto bad_id = call(bhttp::verb::get, "/v1/events/Not_A_Slug");
  EXPECT_EQ(bad_id.result_int(), 400u);
  EXPECT_EQ(code_of(bad_id), "invalid_request");
  EXPECT_EQ(audit(), before);
}

}  // namespace
}  // namespace seatgate
