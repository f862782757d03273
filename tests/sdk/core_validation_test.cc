// Validation before the network: every code, with a readable message, and
// no request sent.
#include <gtest/gtest.h>

#include <seatgate/validation.h>

#include "fake.h"

namespace seatgate::test {
namespace {

constexpr const char* event_json =
    R"({"id":"summer","name":"Summer Arena","currency":"EUR","status":"on_sale","hold_ttl_s":600,)"
    R"("max_per_order":4,"max_per_user":5,"zones":[{"id":"floor","name":"Floor","capacity":100,)"
    R"("price":4500,"available":3},{"id":"balcony","name":"Balcony","capacity":10,"price":2000,)"
    R"("available":10}],"waiting_room":{"enabled":false}})";

reserve_request order(std::string event, std::string zone, std::int64_t q) {
  reserve_request r;
  r.event_id = std::move(event);
  r.zone_id = std::move(zone);
  r.quantity = q;
  return r;
}

void expect_invalid(harness& h, operation op, const char* code) {
  const std::size_t before = h.sent.size();
  step s = op.start();
  ASSERT_EQ(s.kind, step_kind::failed) << code;
  EXPECT_EQ(s.err.code, code);
  EXPECT_EQ(s.err.attempts, 0);
  EXPECT_EQ(s.err.http_status, 0);
  EXPECT_FALSE(s.err.retryable);
  EXPECT_GT(s.err.message.size(), 10u) << code;
  EXPECT_EQ(h.sent.size(), before);
  std::cout << "  " << code << ": " << s.err.message << "\n";
}

void load_event(harness& h) {
  auto ev = h.c().get_event("summer");
  ASSERT_EQ(h.run(ev, {answer::ok(200, event_json)}).kind, step_kind::done);
}

TEST(CoreValidation, Ids) {
  harness h;
  expect_invalid(h, h.c().get_event(""), errc::validation_event_id);
  expect_invalid(h, h.c().get_event("Summer"), errc::validation_event_id);
  expect_invalid(h, h.c().get_event("-x"), errc::validation_event_id);
  expect_invalid(h, h.c().get_event(std::string(65, 'a')), errc::validation_event_id);
  expect_invalid(h, h.c().get_event("a/../admin"), errc::validation_event_id);
  expect_invalid(h, h.c().reserve(order("", "floor", 1)), errc::validation_event_id);
  expect_invalid(h, h.c().reserve(order("summer", "", 1)), errc::validation_zone_id);
  expect_invalid(h, h.c().reserve(order("summer", "Floor A", 1)), errc::validation_zone_id);
  expect_invalid(h, h.c().get_reservation(""), errc::validation_reservation_id);
  expect_invalid(h, h.c().get_reservation("summer.short"), errc::validation_reservation_id);
  expect_invalid(h, h.c().release("summer.AAAAAAAAAAAAAAAAAAAAA="),
                 errc::validation_reservation_id);
  expect_invalid(h, h.c().release("Summer.AAAAAAAAAAAAAAAAAAAAAA"),
                 errc::validation_reservation_id);
  expect_invalid(h, h.c().list_reservations("NOPE"), errc::validation_event_id);
  // The server lists one event's reservations; there is no "all events".
  expect_invalid(h, h.c().list_reservations(""), errc::validation_event_id);
  expect_invalid(h, h.c().join_queue(""), errc::validation_event_id);
  expect_invalid(h, h.c().queue_status("a b"), errc::validation_event_id);
  EXPECT_TRUE(is_reservation_id("summer-2026.AbC_-09xyzABCDEFGHIJKL"));
  EXPECT_TRUE(is_slug("a"));
  EXPECT_TRUE(is_slug(std::string(64, 'a')));
}

TEST(CoreValidation, Quantity) {
  harness h;
  expect_invalid(h, h.c().reserve(order("summer", "floor", 0)), errc::validation_quantity);
  expect_invalid(h, h.c().reserve(order("summer", "floor", -3)), errc::validation_quantity);
  expect_invalid(h, h.c().reserve(order("summer", "floor", 101)), errc::validation_quantity);
  // With no snapshot, 1..100 goes to the server (which knows max_per_order).
  auto ok = h.c().reserve(order("summer", "floor", 100));
  EXPECT_EQ(ok.start().kind, step_kind::send);
}

TEST(CoreValidation, AgainstTheEventSnapshot) {
  harness h;
  load_event(h);
  expect_invalid(h, h.c().reserve(order("summer", "floor", 5)),
                 errc::validation_above_max_per_order);
  expect_invalid(h, h.c().reserve(order("summer", "floor", 4)),
                 errc::validation_above_availability);
  expect_invalid(h, h.c().reserve(order("summer", "vip", 1)), errc::validation_unknown_zone);
  auto ok = h.c().reserve(order("summer", "floor", 3));
  EXPECT_EQ(ok.start().kind, step_kind::send);
}

TEST(CoreValidation, StaleAvailabilityIsNotUsed) {
  harness h;
  load_event(h);
  h.now += 5'001;
  auto op = h.c().reserve(order("summer", "floor", 4));  // available 3, but stale
  EXPECT_EQ(op.start().kind, step_kind::send);
  // max_per_order is configuration, not live state: it still applies.
  expect_invalid(h, h.c().reserve(order("summer", "floor", 5)),
                 errc::validation_above_max_per_order);
}

TEST(CoreValidation, AvailabilityFollowsOwnReservations) {
  harness h;
  load_event(h);
  auto op = h.c().reserve(order("summer", "floor", 2));
  ASSERT_EQ(h.run(op, {answer::ok(201, reservation_json)}).kind, step_kind::done);
  expect_invalid(h, h.c().reserve(order("summer", "floor", 2)),
                 errc::validation_above_availability);
}

TEST(CoreValidation, UserAllowance) {
  harness h;
  load_event(h);
  // max_per_user 5; the user holds 2 and owns 1; released ones do not count.
  auto list = h.c().list_reservations("summer");
  ASSERT_EQ(
      h.run(
           list,
           {answer::ok(
               200,
               R"({"reservations":[)"
               R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"balcony","quantity":2,"status":"held"},)"
               R"({"id":"summer.BAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"balcony","quantity":1,"status":"confirmed"},)"
               R"({"id":"summer.CAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"balcony","quantity":4,"status":"released"}]})")})
          .kind,
      step_kind::done);
  expect_invalid(h, h.c().reserve(order("summer", "balcony", 3)),
                 errc::validation_above_user_allowance);
  auto ok = h.c().reserve(order("summer", "balcony", 2));
  EXPECT_EQ(ok.start().kind, step_kind::send);
}

// A caller that passes its own idempotency key may be resuming an order the
// server already holds (the answer was lost); the snapshot then counts the
// caller's own seats as taken. Only the syntax rules apply; the server
// replays the stored reservation.
TEST(CoreValidation, ResumingAKeySkipsTheSnapshotChecks) {
  harness h;
  auto ev = h.c().get_event("summer");
  std::string sold_out = event_json;
  sold_out.replace(sold_out.find("\"available\":3"), 13, "\"available\":0");
  ASSERT_EQ(h.run(ev, {answer::ok(200, sold_out)}).kind, step_kind::done);
  auto list = h.c().list_reservations("summer");
  ASSERT_EQ(
      h.run(
           list,
           {answer::ok(
               200,
               R"({"reservations":[)"
               R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"floor","quantity":3,"status":"held"},)"
               R"({"id":"summer.BAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"floor","quantity":2,"status":"held"}]})")})
          .kind,
      step_kind::done);

  // A fresh order is still judged against the snapshots.
  expect_invalid(h, h.c().reserve(order("summer", "floor", 3)),
                 errc::validation_above_availability);

  auto resumed = order("summer", "floor", 3);
  resumed.idempotency_key = "k-saved-before-the-crash";
  auto op = h.c().reserve(resumed);
  answer replay = answer::ok(201, reservation_json);
  replay.headers.emplace_back("Idempotent-Replayed", "true");
  step s = h.run(op, {replay});
  ASSERT_EQ(s.kind, step_kind::done) << s.err.code << ": " << s.err.message;
  EXPECT_EQ(op.attempts(), 1);
  ASSERT_FALSE(h.sent.empty());
  EXPECT_EQ(h.sent.back().header("Idempotency-Key"), "k-saved-before-the-crash");

  // The syntax rules still apply to a resumed order.
  resumed.quantity = 0;
  expect_invalid(h, h.c().reserve(resumed), errc::validation_quantity);
  resumed.quantity = 3;
  resumed.zone_id = "Floor A";
  expect_invalid(h, h.c().reserve(resumed), errc::validation_zone_id);
}

TEST(CoreValidation, APartialListSaysNothingOfTheAllowance) {
  harness h;
  load_event(h);
  // max_per_user 5; this page shows 4 held, but more pages follow.
  auto list = h.c().list_reservations("summer");
  ASSERT_EQ(
      h.run(
           list,
           {answer::ok(
               200,
               R"({"event_id":"summer","next_cursor":"31373a73756d6d65722e41","reservations":[)"
               R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"balcony","quantity":4,"status":"held"}]})")})
          .kind,
      step_kind::done);
  auto ok = h.c().reserve(order("summer", "balcony", 3));
  EXPECT_EQ(ok.start().kind, step_kind::send);
}

TEST(CoreValidation, KeysPassesAndPaymentRefs) {
  harness h;
  auto r = order("summer", "floor", 1);
  r.idempotency_key = " leading space";
  expect_invalid(h, h.c().reserve(r), errc::validation_idempotency_key);
  r.idempotency_key = "trailing space ";
  expect_invalid(h, h.c().reserve(r), errc::validation_idempotency_key);
  r.idempotency_key = std::string(256, 'k');
  expect_invalid(h, h.c().reserve(r), errc::validation_idempotency_key);
  r.idempotency_key = "";
  r.queue_pass = "bad\npass";
  expect_invalid(h, h.c().reserve(r), errc::validation_queue_pass);
  r.queue_pass = std::string(257, 'p');  // the server refuses a pass over 256 bytes
  expect_invalid(h, h.c().reserve(r), errc::validation_queue_pass);

  confirm_request c;
  c.reservation_id = "summer.AAAAAAAAAAAAAAAAAAAAAA";
  c.idempotency_key = "caf\xc3\xa9";
  expect_invalid(h, h.c().confirm(c), errc::validation_idempotency_key);
  c.idempotency_key = "";
  c.payment_ref = "";
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  c.payment_ref = std::string(256, 'p');
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  c.payment_ref = "tab\there";
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  // The server takes printable ASCII only: refused here, not after a round trip.
  c.payment_ref = "pay_\xff\xfe";
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  c.payment_ref = "caf\xc3\xa9";
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  c.payment_ref = " pi_123";
  expect_invalid(h, h.c().confirm(c), errc::validation_payment_ref);
  c.payment_ref = "pi 123";
  auto op = h.c().confirm(c);
  EXPECT_EQ(op.start().kind, step_kind::send);
}

// What the server accepts is sent: a key with spaces inside (the server
// allows them) and a pass of exactly 256 bytes.
TEST(CoreValidation, WhatTheServerAcceptsIsSent) {
  harness h;
  auto r = order("summer", "floor", 1);
  r.idempotency_key = "has space";
  r.queue_pass = std::string(256, 'p');
  auto op = h.c().reserve(r);
  ASSERT_EQ(op.start().kind, step_kind::send);
  EXPECT_EQ(op.idempotency_key(), "has space");
  EXPECT_TRUE(is_valid_idempotency_key("has space"));
  EXPECT_FALSE(is_valid_idempotency_key("has space "));
}

TEST(CoreValidation, FirstFailureWinsInFieldOrder) {
  harness h;
  expect_invalid(h, h.c().reserve(order("", "", 0)), errc::validation_event_id);
  expect_invalid(h, h.c().reserve(order("summer", "", 0)), errc::validation_zone_id);
}

}  // namespace
}  // namespace seatgate::test
