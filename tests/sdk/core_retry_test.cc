// docs/sdk.md retries, deterministically: fake transport, fake clock.
#include <gtest/gtest.h>

#include <set>

#include "fake.h"

namespace seatgate::test {
namespace {

struct retry_case {
  const char* name;
  answer first;
  const char* reason;
};

class RetriedFailure : public ::testing::TestWithParam<retry_case> {};

TEST_P(RetriedFailure, IsRetriedThenSucceeds) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(op, {GetParam().first, answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.code;
  EXPECT_EQ(s.response.status, 201);
  EXPECT_EQ(op.attempts(), 2);
  ASSERT_EQ(h.retries.size(), 1u);
  EXPECT_EQ(h.retries[0].attempt, 2);
  EXPECT_EQ(h.retries[0].reason, GetParam().reason);
  EXPECT_EQ(h.retries[0].delay, h.waits.at(0));
}

INSTANTIATE_TEST_SUITE_P(
    Spec6, RetriedFailure,
    ::testing::Values(
        retry_case{"sold_out_retryable", answer::problem(409, "sold_out", true, 1), "sold_out"},
        retry_case{"key_in_use", answer::problem(409, "idempotency_key_in_use", true, 1),
                   "idempotency_key_in_use"},
        retry_case{"rate_limited", answer::problem(429, "rate_limited", std::nullopt, 1),
                   "rate_limited"},
        retry_case{"s500", answer::problem(500, "internal", std::nullopt), "internal"},
        retry_case{"s502_no_body", answer::ok(502, "<html>bad gateway</html>"), "bad_gateway"},
        retry_case{"s503", answer::problem(503, "unavailable", true, 1), "unavailable"},
        retry_case{"s504_no_body", answer::ok(504, ""), "gateway_timeout"},
        retry_case{"network", answer::fail(transport_failure::network), "network"},
        retry_case{"timeout", answer::fail(transport_failure::timeout), "timeout"}),
    [](const auto& info) { return std::string(info.param.name); });

struct no_retry_case {
  const char* name;
  answer only;
  const char* code;
  int status;
};

class NotRetried : public ::testing::TestWithParam<no_retry_case> {};

TEST_P(NotRetried, FailsAfterOneAttempt) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(op, {GetParam().only, answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, GetParam().code);
  EXPECT_EQ(s.err.http_status, GetParam().status);
  EXPECT_FALSE(s.err.retryable);
  EXPECT_EQ(s.err.attempts, 1);
  EXPECT_EQ(h.sent.size(), 1u);
  EXPECT_TRUE(h.retries.empty());
  EXPECT_FALSE(s.err.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Spec6, NotRetried,
    ::testing::Values(
        no_retry_case{"s400", answer::problem(400, "invalid_request", false), "invalid_request",
                      400},
        no_retry_case{"s401", answer::problem(401, "unauthorized", false), "unauthorized", 401},
        no_retry_case{"s403", answer::problem(403, "queue_pass_required", false),
                      "queue_pass_required", 403},
        no_retry_case{"s404", answer::problem(404, "event_not_found", false), "event_not_found",
                      404},
        no_retry_case{"s410", answer::problem(410, "reservation_expired", false),
                      "reservation_expired", 410},
        no_retry_case{"s413", answer::problem(413, "payload_too_large", false), "payload_too_large",
                      413},
        no_retry_case{"s415", answer::problem(415, "unsupported_media_type", false),
                      "unsupported_media_type", 415},
        no_retry_case{"s422", answer::problem(422, "idempotency_key_reused", false),
                      "idempotency_key_reused", 422},
        // A 4xx that wrongly claims retryable is still not retried.
        no_retry_case{"s422_claims_retryable", answer::problem(422, "invalid_quantity", true),
                      "invalid_quantity", 422},
        no_retry_case{"sold_out_final", answer::problem(409, "sold_out", false), "sold_out", 409},
        no_retry_case{"s409_without_flag",
                      answer::problem(409, "user_limit_exceeded", std::nullopt),
                      "user_limit_exceeded", 409},
        no_retry_case{"s405_plain", answer::ok(405, "nope"), "http_error", 405}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CoreRetry, ServerErrorFieldsAreKept) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(op, {answer::problem(422, "idempotency_key_reused", false)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.message, "detail of idempotency_key_reused");
  EXPECT_EQ(s.err.request_id, "req-idempotency_key_reused");
}

TEST(CoreRetry, RetryAfterIsAFloorEvenAboveTheCap) {
  harness h;
  h.fixed_random = 0;  // jitter would pick 0 ms
  auto op = h.c().reserve(order());
  step s =
      h.run(op, {answer::problem(409, "sold_out", true, 3),
                 answer::problem(503, "unavailable", true, 1), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.waits.size(), 2u);
  EXPECT_EQ(h.waits[0], milliseconds(3000));
  EXPECT_EQ(h.waits[1], milliseconds(1000));
}

// reserve_request::sold_out_wait_ms bounds the total wait after sold_out
// answers (Retry-After 1 s each): 2.5 s allows two waits, not a third.
TEST(CoreRetry, SoldOutWaitIsBoundedPerCall) {
  harness h;
  h.fixed_random = 0;
  auto req = order();
  req.sold_out_wait_ms = 2500;
  auto op = h.c().reserve(req);
  const answer sold_out = answer::problem(409, "sold_out", true, 1);
  step s = h.run(op, {sold_out, sold_out, sold_out, answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "sold_out");
  EXPECT_TRUE(s.err.retryable);
  EXPECT_EQ(s.err.retry_after_ms, 1000);
  EXPECT_EQ(op.attempts(), 3);
  EXPECT_EQ(h.waits.size(), 2u);

  harness none;  // 0: fail at the first sold_out
  req.sold_out_wait_ms = 0;
  auto op0 = none.c().reserve(req);
  s = none.run(op0, {sold_out, answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(op0.attempts(), 1);
  EXPECT_TRUE(none.waits.empty());

  harness policy;  // default: the retry policy decides, as before
  auto op1 = policy.c().reserve(order());
  s = policy.run(op1, {sold_out, sold_out, sold_out, answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(op1.attempts(), 4);
}

TEST(CoreRetry, JitterAboveRetryAfterIsKept) {
  harness h;
  h.fixed_random = 150;  // 150 % (100 + 1) = 49 ms for retry 0; 150 % 201 = 150 for retry 1
  auto op = h.c().reserve(order());
  step s =
      h.run(op, {answer::problem(503, "unavailable", true, 0),
                 answer::problem(503, "unavailable", true, 0), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(h.waits, (std::vector<milliseconds>{milliseconds(49), milliseconds(150)}));
}

TEST(CoreRetry, FullJitterStaysUnderTheExponentialCeiling) {
  std::vector<std::int64_t> max_seen(4, 0);
  for (int trial = 0; trial < 500; ++trial) {
    harness h;
    h.seed = 1000 + trial;
    h.options.budget.capacity = 0;  // budget off
    auto op = h.c().reserve(order());
    step s = h.run(op, std::vector<answer>(5, answer::fail(transport_failure::network)));
    ASSERT_EQ(s.kind, step_kind::failed);
    ASSERT_EQ(h.waits.size(), 4u);
    for (int n = 0; n < 4; ++n) {
      const std::int64_t ceiling = std::min<std::int64_t>(2000, 100LL << n);
      EXPECT_GE(h.waits[n].count(), 0);
      EXPECT_LE(h.waits[n].count(), ceiling);
      max_seen[n] = std::max(max_seen[n], h.waits[n].count());
    }
  }
  // The whole range is used: the maxima come near each ceiling.
  EXPECT_GE(max_seen[0], 90);
  EXPECT_GE(max_seen[3], 720);
}

TEST(CoreRetry, CapLimitsLongBackoffs) {
  harness h;
  h.fixed_random = ~0ULL;
  h.options.retry.max_attempts = 10;
  h.options.retry.deadline = milliseconds(600'000);
  h.options.budget.capacity = 0;
  auto op = h.c().get_event("summer");
  h.run(op, std::vector<answer>(10, answer::ok(503, "")));
  ASSERT_EQ(h.waits.size(), 9u);
  for (auto w : h.waits) EXPECT_LE(w.count(), 2000);
}

TEST(CoreRetry, AttemptCapStopsAtFiveWithTheLastError) {
  harness h;
  auto op = h.c().reserve(order());
  step s = h.run(op, std::vector<answer>(9, answer::problem(503, "unavailable", true)));
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "unavailable");
  EXPECT_EQ(s.err.attempts, 5);
  EXPECT_TRUE(s.err.retryable);
  EXPECT_EQ(h.sent.size(), 5u);
  ASSERT_EQ(h.retries.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(h.retries[i].attempt, i + 2);
  EXPECT_NE(s.err.message.find("5 attempts"), std::string::npos);
}

TEST(CoreRetry, DeadlineStopsRetriesThatWouldEndTooLate) {
  harness h;
  auto op = h.c().reserve(order());
  // 503 with Retry-After 10 s twice: the second wait would end at 20 s > 15 s.
  step s =
      h.run(op, {answer::problem(503, "unavailable", true, 10),
                 answer::problem(503, "unavailable", true, 10), answer::ok(201, reservation_json)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "deadline_exceeded");
  EXPECT_EQ(s.err.cause, "unavailable");
  EXPECT_EQ(s.err.http_status, 503);
  EXPECT_EQ(s.err.attempts, 2);
  EXPECT_EQ(s.err.retry_after_ms, 10'000) << "the last failure's Retry-After";
  // The second attempt's timeout is clipped to the 5 s left.
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[0].timeout, milliseconds(10'000));
  EXPECT_EQ(h.sent[1].timeout, milliseconds(5'000));
}

TEST(CoreRetry, DeadlineCountsTimeSpentInFlight) {
  harness h;
  auto op = h.c().get_event("summer");
  answer slow = answer::fail(transport_failure::timeout);
  slow.takes_ms = 10'000;
  answer slow2 = slow;
  slow2.takes_ms = 5'000;
  step s = h.run(op, {slow, slow2, answer::ok(200, "{}")});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "deadline_exceeded");
  EXPECT_EQ(s.err.cause, "timeout");
}

TEST(CoreRetry, BudgetExhaustionStopsRetriesAcrossOperations) {
  harness h;
  h.options.budget.capacity = 3;
  h.options.budget.refill_per_second = 0.5;
  auto& core = h.c();
  auto op1 = core.reserve(order());
  step s1 = h.run(op1, std::vector<answer>(5, answer::ok(503, "")));
  ASSERT_EQ(s1.kind, step_kind::failed);
  // Three retries used the budget; the refill during their waits is small
  // (waits are under 1 s in total), so the fourth is refused... unless it refilled.
  EXPECT_EQ(s1.err.code, "retry_budget_exhausted") << "waits total " << h.waits.size();
  EXPECT_EQ(s1.err.cause, "unavailable");
  EXPECT_EQ(s1.err.attempts, 4);

  auto op2 = core.get_event("summer");
  h.sent.clear();
  step s2 = h.run(op2, {answer::fail(transport_failure::network)});
  ASSERT_EQ(s2.kind, step_kind::failed);
  EXPECT_EQ(s2.err.code, "retry_budget_exhausted");
  EXPECT_EQ(s2.err.cause, "network");
  EXPECT_EQ(s2.err.attempts, 1);

  h.now += 2'000;  // +1 token
  auto op3 = core.get_event("summer");
  step s3 =
      h.run(op3, {answer::fail(transport_failure::network), answer::ok(200, R"({"id":"summer"})")});
  EXPECT_EQ(s3.kind, step_kind::done);
}

TEST(CoreRetry, BudgetDefaultsAreDocumented) {
  core_options o;
  EXPECT_EQ(o.budget.capacity, 20.0);
  EXPECT_EQ(o.budget.refill_per_second, 2.0);
  EXPECT_EQ(o.retry.max_attempts, 5);
  EXPECT_EQ(o.retry.base_delay, milliseconds(100));
  EXPECT_EQ(o.retry.max_delay, milliseconds(2000));
  EXPECT_EQ(o.retry.deadline, milliseconds(15000));
  harness h;
  EXPECT_EQ(h.c().retry_budget_tokens(), 20.0);
}

TEST(CoreRetry, CancelMidBackoff) {
  harness h;
  auto op = h.c().reserve(order());
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::send);
  http_response r;
  r.status = 503;
  s = op.on_response(r);
  ASSERT_EQ(s.kind, step_kind::wait);
  s = op.cancel();
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "cancelled");
  EXPECT_EQ(s.err.attempts, 1);
  EXPECT_TRUE(op.finished());
  // The timer that fires later is refused and changes nothing.
  step late = op.on_timer();
  EXPECT_EQ(late.kind, step_kind::failed);
  EXPECT_EQ(late.err.code, "invalid_state");
  EXPECT_TRUE(op.finished());
}

TEST(CoreRetry, CancelMidRequest) {
  harness h;
  auto op = h.c().get_event("summer");
  ASSERT_EQ(op.start().kind, step_kind::send);
  step s = op.cancel();
  EXPECT_EQ(s.err.code, "cancelled");
  http_response r;
  r.status = 200;
  EXPECT_EQ(op.on_response(r).err.code, "invalid_state");
}

// The transport saw the cancellation before handing the request to the
// network: nothing was sent, so nothing is counted.
TEST(CoreRetry, CancelBeforeSendingCountsNoAttempt) {
  harness h;
  auto first = h.c().get_event("summer");
  ASSERT_EQ(first.start().kind, step_kind::send);
  step s = first.cancel_unsent();
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "cancelled");
  EXPECT_EQ(s.err.attempts, 0);
  EXPECT_EQ(first.attempts(), 0);

  auto retried = h.c().reserve(order());
  ASSERT_EQ(retried.start().kind, step_kind::send);
  http_response r;
  r.status = 503;
  ASSERT_EQ(retried.on_response(r).kind, step_kind::wait);
  ASSERT_EQ(retried.on_timer().kind, step_kind::send);
  s = retried.cancel_unsent();
  EXPECT_EQ(s.err.code, "cancelled");
  EXPECT_EQ(s.err.attempts, 1);  // the first was sent, the second never was

  auto waiting = h.c().get_event("summer");
  ASSERT_EQ(waiting.start().kind, step_kind::send);
  ASSERT_EQ(waiting.on_response(r).kind, step_kind::wait);
  s = waiting.cancel_unsent();  // no request pending: an ordinary cancel
  EXPECT_EQ(s.err.code, "cancelled");
  EXPECT_EQ(s.err.attempts, 1);
}

// A certificate the client does not accept will not be accepted on a retry.
TEST(CoreRetry, TlsFailureIsNotRetried) {
  harness h;
  auto op = h.c().get_event("summer");
  ASSERT_EQ(op.start().kind, step_kind::send);
  step s = op.on_transport_error(transport_failure::tls, "SSLServerVerification");
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::tls);
  EXPECT_FALSE(s.err.retryable);
  EXPECT_EQ(s.err.attempts, 1);
  EXPECT_NE(s.err.message.find("SSLServerVerification"), std::string::npos);
  EXPECT_TRUE(h.retries.empty());
}

TEST(CoreRetry, MisuseIsReportedNotFatal) {
  harness h;
  auto op = h.c().get_event("summer");
  http_response r;
  EXPECT_EQ(op.on_response(r).err.code, "invalid_state");
  EXPECT_EQ(op.on_timer().err.code, "invalid_state");
  EXPECT_EQ(op.start().kind, step_kind::send);
  EXPECT_EQ(op.start().err.code, "invalid_state");
}

}  // namespace
}  // namespace seatgate::test
