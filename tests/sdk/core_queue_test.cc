// wait_for_pass (docs/waiting-room.md, docs/sdk.md), deterministically: fake transport, fake clock,
// scripted randomness.
#include <gtest/gtest.h>

#include <limits>

#include "fake.h"

namespace seatgate::test {
namespace {

answer waiting(int position, int poll_after_ms) {
  return answer::ok(200, R"({"status":"waiting","position":)" + std::to_string(position) +
                             R"(,"poll_after_ms":)" + std::to_string(poll_after_ms) + "}");
}
answer admitted(const std::string& pass = "qp-123") {
  return answer::ok(200, R"({"status":"admitted","queue_pass":")" + pass +
                             R"(","pass_expires_at":"2026-01-01T00:05:00Z"})");
}
answer status_only(const std::string& s) { return answer::ok(200, R"({"status":")" + s + "\"}"); }

std::string line(const http_request& r) { return r.method + " " + r.path; }

TEST(CoreWaitForPass, JoinsPollsAndIsAdmittedReportingEachPosition) {
  harness h;
  std::vector<queue_position> told;
  wait_for_pass_options o;
  o.on_position = [&](const queue_position& p) { told.push_back(p); };
  auto op = h.c().wait_for_pass("summer", o);
  EXPECT_EQ(op.kind(), operation_kind::wait_for_pass);
  step s = h.run(op, {waiting(3, 1000), waiting(2, 1500), waiting(1, 500), admitted()});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.code << ": " << s.err.message;
  auto q = parse_queue_state(s.response.body);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->status, "admitted");
  EXPECT_EQ(q->queue_pass, "qp-123");

  ASSERT_EQ(h.sent.size(), 4u);
  EXPECT_EQ(line(h.sent[0]), "POST /v1/events/summer/queue");
  EXPECT_EQ(h.sent[0].body, "{}");
  EXPECT_EQ(h.sent[0].header("Authorization"), "Bearer tok");
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(line(h.sent[i]), "GET /v1/events/summer/queue/me");
    EXPECT_EQ(h.sent[i].body, "");
  }
  ASSERT_EQ(told.size(), 3u);
  ASSERT_EQ(h.positions.size(), 3u);
  const std::int64_t expect_pos[] = {3, 2, 1};
  const std::int64_t expect_poll[] = {1000, 1500, 500};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(told[i].position, expect_pos[i]);
    EXPECT_EQ(told[i].poll_after.count(), expect_poll[i]);
    EXPECT_EQ(told[i].next_poll_in, h.waits[i]);  // the wait step is the jittered delay
    EXPECT_EQ(h.positions[i].position, told[i].position);
    EXPECT_GE(h.waits[i].count(), expect_poll[i] * 8 / 10);
    EXPECT_LE(h.waits[i].count(), expect_poll[i] * 12 / 10);
  }
  EXPECT_TRUE(h.retries.empty());  // polling is not retrying
  EXPECT_EQ(op.attempts(), 4);

  // The next reserve of that event sends the pass by itself, once.
  reserve_request r{.event_id = "summer", .zone_id = "floor", .quantity = 1};
  auto res = h.c().reserve(r);
  ASSERT_EQ(h.run(res, {answer::ok(201, reservation_json)}).kind, step_kind::done);
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "qp-123");
  auto again = h.c().reserve(r);
  h.run(again, {answer::ok(201, reservation_json)});
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "");
}

TEST(CoreWaitForPass, JitterSpansPlusMinusTwentyPercent) {
  for (auto [bits, expect] : {std::pair<std::uint64_t, std::int64_t>{0, 1600},
                              {std::numeric_limits<std::uint64_t>::max(), 2400},
                              {std::uint64_t{1} << 63, 2000}}) {
    harness h;
    h.fixed_random = bits;
    auto op = h.c().wait_for_pass("summer");
    h.run(op, {waiting(5, 2000), admitted()});
    ASSERT_EQ(h.waits.size(), 1u);
    EXPECT_EQ(h.waits[0].count(), expect) << bits;
  }
  harness h;  // a custom jitter, and jitter 0 waits exactly what the server says
  wait_for_pass_options o;
  o.jitter = 0;
  auto op = h.c().wait_for_pass("summer", o);
  h.run(op, {waiting(5, 1234), admitted()});
  EXPECT_EQ(h.waits.at(0).count(), 1234);
}

TEST(CoreWaitForPass, PollAfterIsClampedToSaneBounds) {
  harness h;
  wait_for_pass_options o;
  o.jitter = 0;
  auto op = h.c().wait_for_pass("summer", o);
  step s = h.run(op, {waiting(9, 0), waiting(8, 10), waiting(7, 600'000), admitted()});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.waits.size(), 3u);
  EXPECT_EQ(h.waits[0].count(), 1000);                    // absent/0: 1 s
  EXPECT_EQ(h.waits[1].count(), 250);                     // never hammer the server
  EXPECT_EQ(h.waits[2].count(), 60'000);                  // never go quiet for long
  EXPECT_EQ(h.positions[2].poll_after.count(), 600'000);  // as the server said
}

TEST(CoreWaitForPass, RoomOffFinishesWithNotRequired) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  step s = h.run(op, {status_only("not_required")});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(parse_queue_state(s.response.body)->status, "not_required");
  EXPECT_EQ(h.sent.size(), 1u);
  EXPECT_TRUE(h.waits.empty());
  auto res = h.c().reserve({.event_id = "summer", .zone_id = "floor", .quantity = 1});
  h.run(res, {answer::ok(201, reservation_json)});
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "");
}

TEST(CoreWaitForPass, AlreadyAdmittedAtJoinFinishesAtOnce) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  step s = h.run(op, {admitted("qp-now")});
  ASSERT_EQ(s.kind, step_kind::done);
  EXPECT_EQ(h.sent.size(), 1u);
  auto res = h.c().reserve({.event_id = "summer", .zone_id = "floor", .quantity = 1});
  h.run(res, {answer::ok(201, reservation_json)});
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "qp-now");
}

TEST(CoreWaitForPass, ResumeReadsThePositionAndJoinsOnlyWhenNotJoined) {
  harness h;
  wait_for_pass_options o;
  o.join = false;
  auto op = h.c().wait_for_pass("summer", o);
  step s = h.run(op, {waiting(4, 1000), admitted()});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(line(h.sent[0]), "GET /v1/events/summer/queue/me");

  harness h2;
  auto op2 = h2.c().wait_for_pass("summer", o);
  s = h2.run(op2, {status_only("not_joined"), waiting(4, 1000), admitted()});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h2.sent.size(), 3u);
  EXPECT_EQ(line(h2.sent[0]), "GET /v1/events/summer/queue/me");
  EXPECT_EQ(line(h2.sent[1]), "POST /v1/events/summer/queue");  // no wait in between
  EXPECT_EQ(line(h2.sent[2]), "GET /v1/events/summer/queue/me");
  EXPECT_EQ(h2.waits.size(), 1u);
}

TEST(CoreWaitForPass, LosingThePlaceMidWaitJoinsAgain) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  step s = h.run(op, {waiting(2, 1000), status_only("not_joined"), waiting(9, 1000), admitted()});
  ASSERT_EQ(s.kind, step_kind::done);
  ASSERT_EQ(h.sent.size(), 4u);
  EXPECT_EQ(line(h.sent[2]), "POST /v1/events/summer/queue");
}

TEST(CoreWaitForPass, TransientFailuresAreRetriedPerRequestWithAFreshCount) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  const answer busy = answer::problem(503, "unavailable", true);
  // Four failures before each success: over the whole wait that is more than
  // max_attempts (5), but each request stays within it.
  step s = h.run(op, {busy, answer::fail(transport_failure::timeout), busy, busy, waiting(2, 1000),
                      busy, answer::fail(transport_failure::network), busy, busy, admitted()});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.code << ": " << s.err.message;
  EXPECT_EQ(op.attempts(), 10);
  ASSERT_EQ(h.retries.size(), 8u);
  EXPECT_EQ(h.retries[0].attempt, 2);
  EXPECT_EQ(h.retries[3].attempt, 5);
  EXPECT_EQ(h.retries[4].attempt, 2);  // a new request after the waiting answer
  EXPECT_EQ(h.retries[5].reason, "network");
  EXPECT_EQ(h.positions.size(), 1u);
}

TEST(CoreWaitForPass, OneRequestFailingFiveTimesGivesUp) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  const answer busy = answer::problem(503, "unavailable", true);
  step s = h.run(op, {waiting(2, 1000), busy, busy, busy, busy, busy, admitted()});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, "unavailable");
  EXPECT_EQ(s.err.http_status, 503);
  EXPECT_EQ(s.err.attempts, 6);  // every request of the operation
  EXPECT_NE(s.err.message.find("gave up after 5 attempts"), std::string::npos) << s.err.message;
}

TEST(CoreWaitForPass, NonRetryableErrorsFailAtOnce) {
  {
    harness h;
    auto op = h.c().wait_for_pass("summer");
    step s = h.run(op, {answer::problem(409, "queue_limit_exceeded", false), admitted()});
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, "queue_limit_exceeded");
    EXPECT_EQ(s.err.http_status, 409);
    EXPECT_FALSE(s.err.retryable);
    EXPECT_EQ(h.sent.size(), 1u);
  }
  {
    harness h;
    auto op = h.c().wait_for_pass("summer");
    step s =
        h.run(op, {waiting(3, 1000), answer::problem(404, "event_not_found", false), admitted()});
    ASSERT_EQ(s.kind, step_kind::failed);
    EXPECT_EQ(s.err.code, "event_not_found");
    EXPECT_EQ(s.err.attempts, 2);
    EXPECT_EQ(h.sent.size(), 2u);
  }
}

TEST(CoreWaitForPass, OverallDeadlineEndsTheWait) {
  harness h;
  wait_for_pass_options o;
  o.deadline = milliseconds(5000);
  o.jitter = 0;
  auto op = h.c().wait_for_pass("summer", o);
  const std::int64_t t0 = h.now;
  step s = h.run(op, {waiting(50, 2000), waiting(49, 2000), waiting(48, 2000), admitted()});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::deadline_exceeded);
  EXPECT_NE(s.err.message.find("position 48"), std::string::npos) << s.err.message;
  EXPECT_EQ(h.sent.size(), 3u);  // a poll at 6 s would be past the deadline
  EXPECT_LE(h.now - t0, 5000);
}

TEST(CoreWaitForPass, DefaultOverallDeadlineIsThirtyMinutes) {
  EXPECT_EQ(wait_for_pass_options{}.deadline, milliseconds(30 * 60 * 1000));
  harness h;
  auto op = h.c().wait_for_pass("summer");
  std::vector<answer> script(400, waiting(1000, 5000));  // 400 × ~5 s > 30 min
  const std::int64_t t0 = h.now;
  step s = h.run(op, script);
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::deadline_exceeded);
  EXPECT_LE(h.now - t0, 30 * 60 * 1000);
  EXPECT_GE(h.now - t0, 30 * 60 * 1000 - 6000);
}

TEST(CoreWaitForPass, OverallDeadlineClipsRetriesAndAttemptTimeouts) {
  harness h;
  h.options.request_timeout = milliseconds(10'000);
  wait_for_pass_options o;
  o.deadline = milliseconds(3000);
  auto op = h.c().wait_for_pass("summer", o);
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::send);
  EXPECT_EQ(s.request.timeout.count(), 3000);
  h.now += 2900;
  s = op.on_response(http_response{.status = 503, .headers = {{"Retry-After", "1"}}, .body = ""});
  ASSERT_EQ(s.kind, step_kind::failed);  // a 1 s floor would end after the deadline
  EXPECT_EQ(s.err.code, errc::deadline_exceeded);
  EXPECT_EQ(s.err.cause, "unavailable");
}

TEST(CoreWaitForPass, CancelWorksMidWaitAndMidRequest) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::send);
  s = op.on_response(
      http_response{.status = 200,
                    .headers = {},
                    .body = R"({"status":"waiting","position":2,"poll_after_ms":1000})"});
  ASSERT_EQ(s.kind, step_kind::wait);
  ASSERT_TRUE(s.position.has_value());
  s = op.cancel();
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::cancelled);
  EXPECT_TRUE(op.finished());
  EXPECT_EQ(op.on_timer().err.code, "invalid_state");

  auto op2 = h.c().wait_for_pass("summer");
  ASSERT_EQ(op2.start().kind, step_kind::send);
  s = op2.cancel();
  EXPECT_EQ(s.err.code, errc::cancelled);
  EXPECT_EQ(s.err.attempts, 1);
}

TEST(CoreWaitForPass, UnusableAnswersFailAsInvalidResponse) {
  for (const answer& a :
       {status_only("admitted"),                                    // no pass
        status_only("weird"),                                       // unknown status
        answer::ok(200, "not json"), status_only("not_joined")}) {  // the join never says that
    harness h;
    auto op = h.c().wait_for_pass("summer");
    step s = h.run(op, {a, admitted()});
    ASSERT_EQ(s.kind, step_kind::failed) << a.body;
    EXPECT_EQ(s.err.code, errc::invalid_response) << a.body;
    EXPECT_EQ(s.err.http_status, 200);
    EXPECT_EQ(h.sent.size(), 1u);
  }
}

TEST(CoreWaitForPass, ValidatesTheEventIdBeforeTheNetwork) {
  harness h;
  auto op = h.c().wait_for_pass("");
  step s = h.run(op, {admitted()});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(s.err.code, errc::validation_event_id);
  EXPECT_TRUE(h.sent.empty());
}

TEST(CoreWaitForPass, ARefusedPassIsForgotten) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  ASSERT_EQ(h.run(op, {admitted("qp-old")}).kind, step_kind::done);
  reserve_request r{.event_id = "summer", .zone_id = "floor", .quantity = 1};
  auto res = h.c().reserve(r);
  step s = h.run(res, {answer::problem(403, "queue_pass_invalid", false)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "qp-old");
  // The problem does not restate the expiry: the admitted answer told it.
  EXPECT_EQ(s.err.pass_expires_at, "2026-01-01T00:05:00Z");
  auto again = h.c().reserve(r);
  h.run(again, {answer::problem(403, "queue_pass_required", false)});
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "");
}

TEST(CoreWaitForPass, ARefusedPassOfTheCallersOwnHasNoRememberedExpiry) {
  harness h;
  auto op = h.c().wait_for_pass("summer");
  ASSERT_EQ(h.run(op, {admitted("qp-mine")}).kind, step_kind::done);
  auto res = h.c().reserve(
      {.event_id = "summer", .zone_id = "floor", .quantity = 1, .queue_pass = "qp-other"});
  step s = h.run(res, {answer::problem(403, "queue_pass_invalid", false)});
  ASSERT_EQ(s.kind, step_kind::failed);
  EXPECT_EQ(h.sent.back().header("Queue-Pass"), "qp-other");
  EXPECT_EQ(s.err.pass_expires_at, "");  // the remembered expiry is another pass's
}

TEST(CoreQueueState, ParsesEveryStatus) {
  for (const char* st : {"waiting", "admitted", "not_required", "not_joined", "left"}) {
    auto q = parse_queue_state(std::string(R"({"status":")") + st + "\"}");
    ASSERT_TRUE(q.ok()) << st;
    EXPECT_EQ(q->status, st);
    if (q->status != "waiting")  // waiting also carries position and poll_after_ms
      EXPECT_EQ(to_json(q.value()), std::string(R"({"status":")") + st + "\"}") << st;
  }
}

}  // namespace
}  // namespace seatgate::test
