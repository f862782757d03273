// docs/sdk.md idempotency keys and request shapes, deterministically: fake
// transport, fake clock.
#include <gtest/gtest.h>

#include <set>

#include "fake.h"

namespace seatgate::test {
namespace {

TEST(CoreKeys, SameKeyOnEveryAttempt) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(
      op, {answer::fail(transport_failure::timeout), answer::problem(409, "sold_out", true, 0),
           answer::ok(503, ""), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.sent.size(), 4u);
  const std::string key = h.sent[0].header("Idempotency-Key");
  EXPECT_TRUE(is_uuid_v4(key)) << key;
  EXPECT_EQ(key, op.idempotency_key());
  for (const auto& rq : h.sent) {
    EXPECT_EQ(rq.header("Idempotency-Key"), key);
    EXPECT_EQ(rq.body, h.sent[0].body);
  }
}

TEST(CoreKeys, ConfirmKeepsItsKeyToo) {
  harness h;
  confirm_request c;
  c.reservation_id = "summer.AAAAAAAAAAAAAAAAAAAAAA";
  c.payment_ref = "pay_1";
  auto op = h.c().confirm(c);
  step s = h.run(op, {answer::ok(500, ""), answer::ok(200, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[0].path, "/v1/reservations/summer.AAAAAAAAAAAAAAAAAAAAAA/confirm");
  EXPECT_EQ(h.sent[0].body, R"({"payment_ref":"pay_1"})");
  EXPECT_TRUE(is_uuid_v4(h.sent[0].header("Idempotency-Key")));
  EXPECT_EQ(h.sent[0].header("Idempotency-Key"), h.sent[1].header("Idempotency-Key"));
}

TEST(CoreKeys, DistinctOperationsGetDistinctKeys) {
  harness h;
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.insert(h.c().reserve(order()).idempotency_key());
  EXPECT_EQ(keys.size(), 100u);
  EXPECT_EQ(h.c().get_event("summer").idempotency_key(), "");
}

TEST(CoreKeys, CallerKeyIsHonoured) {
  harness h;
  auto op = h.c().reserve(order("checkout-42:alice"));
  step s = h.run(op, {answer::ok(503, ""), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  for (const auto& rq : h.sent) EXPECT_EQ(rq.header("Idempotency-Key"), "checkout-42:alice");
}

TEST(CoreRequests, ShapeAndHeaders) {
  harness h;
  h.options.user_agent = "ua/1";
  auto op = h.c().reserve(order());
  step s = h.run(op, {answer::ok(503, ""), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  const auto& rq = h.sent[0];
  EXPECT_EQ(rq.method, "POST");
  EXPECT_EQ(rq.path, "/v1/reservations");
  EXPECT_EQ(rq.body, R"({"event_id":"summer","quantity":2,"zone_id":"floor"})");
  EXPECT_EQ(rq.header("content-type"), "application/json");
  EXPECT_EQ(rq.header("Authorization"), "Bearer tok");
  EXPECT_EQ(rq.header("User-Agent"), "ua/1");
  EXPECT_EQ(h.token_calls, 2);  // asked before every attempt

  auto ev = h.c().get_event("summer");
  h.sent.clear();
  h.run(ev, {answer::ok(200, R"({"id":"summer"})")});
  EXPECT_EQ(h.sent[0].method, "GET");
  EXPECT_EQ(h.sent[0].path, "/v1/events/summer");
  EXPECT_EQ(h.sent[0].header("Authorization"), "");  // public route

  struct {
    operation op;
    const char* method;
    const char* path;
  } cases[] = {
      {h.c().get_reservation("summer.AAAAAAAAAAAAAAAAAAAAAA"), "GET",
       "/v1/reservations/summer.AAAAAAAAAAAAAAAAAAAAAA"},
      {h.c().release("summer.AAAAAAAAAAAAAAAAAAAAAA"), "DELETE",
       "/v1/reservations/summer.AAAAAAAAAAAAAAAAAAAAAA"},
      {h.c().list_reservations("summer"), "GET", "/v1/users/me/reservations?event_id=summer"},
      {h.c().join_queue("summer"), "POST", "/v1/events/summer/queue"},
      {h.c().queue_status("summer"), "GET", "/v1/events/summer/queue/me"},
      {h.c().leave_queue("summer"), "DELETE", "/v1/events/summer/queue/me"},
  };
  for (auto& c : cases) {
    step st = c.op.start();
    ASSERT_EQ(st.kind, step_kind::send) << c.path << " " << st.err.message;
    EXPECT_EQ(st.request.method, c.method);
    EXPECT_EQ(st.request.path, c.path);
    EXPECT_EQ(st.request.header("Authorization"), "Bearer tok");
    EXPECT_EQ(st.request.header("Idempotency-Key"), "");
  }
}

TEST(CoreRequests, QueuePassFromQueueStatusIsSentWithReserve) {
  harness h;
  auto q = h.c().queue_status("summer");
  step s = h.run(
      q, {answer::ok(200, R"({"status":"admitted","queue_pass":"qp-123","pass_expires_at":"x"})")});
  ASSERT_EQ(s.kind, step_kind::done);
  auto op = h.c().reserve(order());
  h.sent.clear();
  h.run(op, {answer::ok(201, reservation_json)});
  EXPECT_EQ(h.sent.at(0).header("Queue-Pass"), "qp-123");
  // The server consumes the pass; the next reserve does not send it.
  auto op2 = h.c().reserve(order());
  h.sent.clear();
  h.run(op2, {answer::ok(201, reservation_json)});
  EXPECT_EQ(h.sent.at(0).header("Queue-Pass"), "");
}

// The request hooks' rule (add_app_header): an app adds headers of its own,
// never one of the SDK's or one that could split the request.
TEST(CoreRequests, AppHeadersCannotBreakTheSdksOwn) {
  harness h;
  h.options.user_agent = "ua/1";
  auto op = h.c().reserve(order());
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::send);
  EXPECT_EQ(s.attempt, 1);
  const http_request before = s.request;
  http_request& rq = s.request;
  for (const char* name :
       {"Authorization", "idempotency-key", "Content-Type", "CONTENT-LENGTH", "Host", "Queue-Pass",
        "User-Agent", "Accept", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE",
        "Trailer", "Keep-Alive"})
    EXPECT_FALSE(add_app_header(rq, name, "x")) << name;
  EXPECT_FALSE(add_app_header(rq, "", "x"));
  EXPECT_FALSE(add_app_header(rq, "X Trace", "x"));
  EXPECT_FALSE(add_app_header(rq, "X-Trace:", "x"));
  EXPECT_FALSE(add_app_header(rq, "X-Trace", "a\r\nIdempotency-Key: other"));
  EXPECT_FALSE(add_app_header(rq, "X-Trace", "a\nb"));
  EXPECT_FALSE(add_app_header(rq, "X-Trace", std::string_view("a\0b", 3)));
  EXPECT_EQ(rq.headers, before.headers);  // nothing refused got in

  EXPECT_TRUE(add_app_header(rq, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
  EXPECT_TRUE(add_app_header(rq, "X-Request-Id", "trace-1"));
  EXPECT_FALSE(add_app_header(rq, "x-request-id", "trace-2"));  // already set
  EXPECT_EQ(rq.headers.size(), before.headers.size() + 2);
  EXPECT_EQ(rq.header("X-Request-Id"), "trace-1");
  EXPECT_EQ(rq.header("Idempotency-Key"), op.idempotency_key());
  EXPECT_EQ(rq.header("Authorization"), "Bearer tok");
}

// A send step says which attempt of its request it is: on_retry's numbering.
TEST(CoreRequests, SendStepsNumberTheirAttempts) {
  harness h;
  auto op = h.c().get_event("summer");
  step s = op.start();
  std::vector<int> attempts;
  for (int i = 0; i < 3 && s.kind == step_kind::send; ++i) {
    attempts.push_back(s.attempt);
    s = op.on_response(http_response{503, {{"Retry-After", "0"}}, ""});
    if (s.kind == step_kind::wait) s = op.on_timer();
  }
  EXPECT_EQ(attempts, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(h.retries.size(), 3u);
  EXPECT_EQ(h.retries[0].attempt, 2);
}

}  // namespace
}  // namespace seatgate::test
