// The reservation rows of docs/openapi.yaml over real HTTP, against a real
// seatgate-server and a real redis-server: reserve, idempotency, tokens,
// limits, confirm, release, expiry and the user's list. Every rejected
// request is followed by an audit showing nothing changed.
#include "inventory_layout.h"
#include "api_fixture.h"

#include "auth/jwt.h"

#include <chrono>
#include <thread>

namespace seatgate::test {
namespace {

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
  layout::set_expires_at(*endpoint_, event_, rid, 1);
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
  layout::set_expires_at(*endpoint_, event_, rid, 1);
  zone_counts c;
  for (int i = 0; i < 100; ++i) {  // the sweeper runs every 100 ms here
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (layout::status(*endpoint_, event_, rid) == "expired") break;
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

}  // namespace
}  // namespace seatgate::test
