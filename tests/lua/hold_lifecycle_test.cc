// confirm_reservation, release_reservation, read_reservation,
// list_reservations and expire_holds: every way a hold can end.
#include <deque>

#include "lua_fixture.h"

namespace seatgate::test {
namespace {

using ConfirmReservation = LuaTest;
using ReleaseReservation = LuaTest;
using ReadReservation = LuaTest;
using ListReservations = LuaTest;
using ExpireHolds = LuaTest;

TEST_F(ConfirmReservation, SellsTheHeldSeats) {
  make_event("e1");
  hold("e1", "e1.a", "alice", 3);
  long long before = c->now_ms();
  auto r = c->confirm("e1", "e1.a", "alice", "kc", "fpc", "pay_123");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.replayed, 0);
  EXPECT_EQ(r.reservation["status"], "confirmed");
  EXPECT_EQ(r.reservation["payment_ref"], "pay_123");
  EXPECT_GE(std::stoll(r.reservation["confirmed_at"]), before);
  auto z = zone("e1");
  EXPECT_EQ(z.available, 7);
  EXPECT_EQ(z.held, 0);
  EXPECT_EQ(z.sold, 3);
  EXPECT_EQ(used("e1", "alice"), 3);  // owned seats still count
  EXPECT_EQ(cnt("e1", "held"), 0);
  EXPECT_EQ(cnt("e1", "confirmed"), 1);
  EXPECT_EQ(c->command({"ZLEXCOUNT", store::event_keys("e1").index(), "[e:", "(e;"})->integer, 0);
  EXPECT_EQ(idem_record("e1", "alice", "kc").first, "e1.a");
  // A confirmed hold never expires.
  EXPECT_EQ(c->expire("e1").n, 0);
  EXPECT_EQ(status_of("e1", "e1.a"), "confirmed");
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ConfirmReservation, ReplayReusedAndAlreadyConfirmed) {
  make_event("e1");
  hold("e1", "e1.a", "alice", 2);
  auto first = c->confirm("e1", "e1.a", "alice", "kc", "fpc", "pay");
  ASSERT_TRUE(first.ok);
  auto again = c->confirm("e1", "e1.a", "alice", "kc", "fpc", "pay");
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.replayed, 1);
  EXPECT_EQ(again.reservation, first.reservation);
  EXPECT_EQ(c->confirm("e1", "e1.a", "alice", "kc", "other").code, "idempotency_key_reused");
  EXPECT_EQ(c->confirm("e1", "e1.a", "alice", "k2", "fp2").code, "already_confirmed");
  EXPECT_EQ(zone("e1").sold, 2);
  EXPECT_EQ(cnt("e1", "confirmed"), 1);
}

TEST_F(ConfirmReservation, AKeyUsedForAnotherReservationIsReused) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "alice");
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "kc", "fpc").ok);
  EXPECT_EQ(c->confirm("e1", "e1.b", "alice", "kc", "fpc").code, "idempotency_key_reused");
  EXPECT_EQ(status_of("e1", "e1.b"), "held");
}

TEST_F(ConfirmReservation, NotFoundForStrangersAndUnknownIds) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  EXPECT_EQ(c->confirm("e1", "e1.a", "bob", "kc", "fpc").code, "reservation_not_found");
  EXPECT_EQ(c->confirm("e1", "e1.zzz", "alice", "kc", "fpc").code, "reservation_not_found");
  EXPECT_EQ(status_of("e1", "e1.a"), "held");
}

TEST_F(ConfirmReservation, ReleasedAndExpiredHoldsCannotBeConfirmed) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "alice");
  ASSERT_TRUE(c->release("e1", "e1.a", "alice").ok);
  EXPECT_EQ(c->confirm("e1", "e1.a", "alice", "k1", "fp1").code, "reservation_released");
  c->make_due("e1", "e1.b");
  ASSERT_EQ(c->expire("e1").n, 1);
  EXPECT_EQ(c->confirm("e1", "e1.b", "alice", "k2", "fp2").code, "reservation_expired");
  EXPECT_EQ(idem_record("e1", "alice", "k2").first, "");
  EXPECT_EQ(zone("e1").available, 10);
}

TEST_F(ConfirmReservation, ADueHoldExpiresExactlyOnceAndAnswersExpired) {
  make_event("e1");
  hold("e1", "e1.a", "alice", 4);
  c->make_due("e1", "e1.a");
  auto r = c->confirm("e1", "e1.a", "alice", "k1", "fp1");
  EXPECT_EQ(r.code, "reservation_expired");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_EQ(status_of("e1", "e1.a"), "expired");
  EXPECT_EQ(zone("e1").available, 10);
  EXPECT_EQ(used("e1", "alice"), 0);
  EXPECT_EQ(c->confirm("e1", "e1.a", "alice", "k1", "fp1").code, "reservation_expired");
  EXPECT_EQ(c->expire("e1").n, 0);
  EXPECT_EQ(zone("e1").available, 10);
  EXPECT_EQ(cnt("e1", "expired"), 1);
  EXPECT_EQ(cnt("e1", "held"), 0);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ConfirmReservation, AlsoReturnsOtherDueHoldsOfTheEvent) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "bob");
  c->make_due("e1", "e1.b");
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "k1", "fp1").ok);
  EXPECT_EQ(status_of("e1", "e1.b"), "expired");
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ConfirmReservation, EventStatusDoesNotBlockConfirming) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  ASSERT_TRUE(c->set_status("e1", "closed").ok);
  EXPECT_TRUE(c->confirm("e1", "e1.a", "alice", "k1", "fp1").ok);
}

// One call with several confirms (lua/confirm_reservation.lua, group
// commit): each answers as the same confirm sent alone, in order, replays of
// confirms earlier in the same batch included; the counters, the outbox and
// the audit end as they do for the confirms sent one by one.
TEST_F(ConfirmReservation, ABatchAnswersEachConfirmAsSeparateCallsWould) {
  struct request {
    std::string rid, user, key, fp, want;
  };
  const std::vector<request> reqs = {
      {"a", "alice", "k1", "fp1", "ok"},
      {"b", "bob", "k2", "fp2", "ok"},
      {"a", "alice", "k1", "fp1", "replay"},  // of a confirm earlier in this batch
      {"a", "alice", "k3", "fp3", "already_confirmed"},
      {"a", "alice", "k1", "fpX", "idempotency_key_reused"},
      {"c", "bob", "k4", "fp4", "reservation_not_found"},  // carol's
      {"d", "dave", "k5", "fp5", "reservation_expired"},   // due
      {"e", "erin", "k6", "fp6", "reservation_released"},
      {"x", "alice", "k7", "fp7", "reservation_not_found"},  // no such reservation
      {"f", "frank", "k8", "fp8", "ok"},
  };
  for (const std::string ev : {"e1", "e2"}) {
    make_event(ev);
    for (const auto& [rid, user] : std::vector<std::pair<std::string, std::string>>{
             {"a", "alice"}, {"b", "bob"}, {"c", "carol"}, {"d", "dave"}, {"e", "erin"},
             {"f", "frank"}})
      hold(ev, ev + "." + rid, user);
    c->make_due(ev, ev + ".d");
    ASSERT_TRUE(c->release(ev, ev + ".e", "erin").ok);
  }
  std::vector<store::confirm_reservation_args> batch;
  std::deque<std::string> text;  // what the arguments' views point into
  for (const auto& r : reqs)
    batch.push_back({.event_id = "e1",
                     .rid = text.emplace_back("e1." + r.rid),
                     .user = r.user,
                     .idem_key = r.key,
                     .payment_ref = "pay",
                     .fingerprint = r.fp,
                     .idem_ttl_s = k_idem_ttl_s});
  auto reply = c->evalsha(store::confirm_reservation_batch(batch));
  ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(reply->elements, reqs.size());
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    SCOPED_TRACE(std::to_string(i) + " " + reqs[i].rid + " " + reqs[i].want);
    const auto in_batch = parse_reply(lua::script::confirm_reservation, reply->element[i]);
    const auto alone =
        c->confirm("e2", "e2." + reqs[i].rid, reqs[i].user, reqs[i].key, reqs[i].fp, "pay");
    expect_same_answer(in_batch, alone, reqs[i].want);
  }
  for (const std::string ev : {"e1", "e2"}) {
    auto z = zone(ev);
    EXPECT_EQ(z.sold, 3) << ev;
    EXPECT_EQ(z.held, 1) << ev;  // carol's
    EXPECT_EQ(z.available, 6) << ev;
    EXPECT_EQ(cnt(ev, "confirmed"), 3) << ev;
    EXPECT_EQ(cnt(ev, "expired"), 1) << ev;
    EXPECT_EQ(status_of(ev, ev + ".d"), "expired") << ev;
    // Six holds, one release, one expiry, three confirms: one entry each.
    EXPECT_EQ(c->command({"XLEN", store::event_keys(ev).outbox()})->integer, 11) << ev;
    EXPECT_TRUE(audit_consistent(ev)) << ev;
  }
}

TEST_F(ReleaseReservation, ReturnsSeatsAndRepeatsHarmlessly) {
  make_event("e1");
  hold("e1", "e1.a", "alice", 3);
  auto r = c->release("e1", "e1.a", "alice");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.replayed, 0);
  EXPECT_EQ(r.reservation["status"], "released");
  auto z = zone("e1");
  EXPECT_EQ(z.available, 10);
  EXPECT_EQ(z.held, 0);
  EXPECT_EQ(used("e1", "alice"), 0);
  EXPECT_EQ(cnt("e1", "released"), 1);
  EXPECT_EQ(cnt("e1", "held"), 0);
  auto again = c->release("e1", "e1.a", "alice");
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.replayed, 1);
  EXPECT_EQ(again.reservation, r.reservation);
  EXPECT_EQ(zone("e1").available, 10);
  EXPECT_EQ(cnt("e1", "released"), 1);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReleaseReservation, EveryOtherState) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "alice");
  hold("e1", "e1.c", "alice");
  EXPECT_EQ(c->release("e1", "e1.a", "bob").code, "reservation_not_found");
  EXPECT_EQ(c->release("e1", "e1.none", "alice").code, "reservation_not_found");
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "k", "fp").ok);
  EXPECT_EQ(c->release("e1", "e1.a", "alice").code, "already_confirmed");
  c->make_due("e1", "e1.b");
  EXPECT_EQ(c->release("e1", "e1.b", "alice").code, "reservation_expired");  // due: expired now
  EXPECT_EQ(status_of("e1", "e1.b"), "expired");
  EXPECT_EQ(c->release("e1", "e1.b", "alice").code, "reservation_expired");
  EXPECT_EQ(cnt("e1", "expired"), 1);
  EXPECT_EQ(zone("e1").available, 8);
  EXPECT_EQ(status_of("e1", "e1.c"), "held");
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReadReservation, OwnerOnlyAndExpiresADueHold) {
  make_event("e1");
  auto f = hold("e1", "e1.a", "alice", 2);
  auto r = c->read("e1", "e1.a", "alice");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.replayed, 0);
  EXPECT_EQ(r.reservation, f);
  EXPECT_EQ(c->read("e1", "e1.a", "bob").code, "reservation_not_found");
  EXPECT_EQ(c->read("e1", "e1.b", "alice").code, "reservation_not_found");
  EXPECT_EQ(c->read("e2", "e1.a", "alice").code, "reservation_not_found");
  c->make_due("e1", "e1.a");
  r = c->read("e1", "e1.a", "alice");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.reservation["status"], "expired");
  EXPECT_EQ(zone("e1").available, 10);
  EXPECT_EQ(used("e1", "alice"), 0);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ListReservations, OldestFirstWithDueHoldsExpired) {
  make_event("e1");
  EXPECT_EQ(c->list("e1", "alice").n, 0);
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "alice");
  hold("e1", "e1.c", "alice");
  hold("e1", "e1.x", "bob");
  // Make creation order explicit (several holds may share one ms).
  const auto ix = store::event_keys("e1").index();
  for (const std::string rid : {"e1.a", "e1.b", "e1.c"}) {
    const auto created = std::stoll(layout::read_record(*server_, "e1", rid)->created_at);
    c->command({"ZREM", ix, layout::history_member("alice", created, rid)});
  }
  c->command({"ZADD", ix, "0", layout::history_member("alice", 1, "e1.c"), "0",
              layout::history_member("alice", 2, "e1.a"), "0",
              layout::history_member("alice", 3, "e1.b")});
  ASSERT_TRUE(c->release("e1", "e1.a", "alice").ok);
  c->make_due("e1", "e1.b");
  c->make_due("e1", "e1.x");
  auto r = c->list("e1", "alice", "0");  // no batch: the user's own holds still expire
  ASSERT_TRUE(r.ok) << r.code;
  ASSERT_EQ(r.n, 3);
  ASSERT_EQ(r.list.size(), 3u);
  EXPECT_EQ(r.list[0]["id"], "e1.c");
  EXPECT_EQ(r.list[0]["status"], "held");
  EXPECT_EQ(r.list[1]["id"], "e1.a");
  EXPECT_EQ(r.list[1]["status"], "released");
  EXPECT_EQ(r.list[2]["id"], "e1.b");
  EXPECT_EQ(r.list[2]["status"], "expired");
  EXPECT_EQ(status_of("e1", "e1.x"), "held");
  r = c->list("e1", "alice");  // with a batch: the event's due holds go back too
  EXPECT_EQ(status_of("e1", "e1.x"), "expired");
  EXPECT_EQ(c->list("nope", "alice").code, "event_not_found");
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ExpireHolds, ReturnsDueHoldsInBatches) {
  event_config cfg;
  cfg.zones = {{"floor", 10}, {"balcony", 10}};
  make_event("e1", cfg);
  EXPECT_EQ(c->expire("nope").n, 0);
  for (int i = 0; i < 6; ++i)
    hold("e1", "e1." + std::to_string(i), "u" + std::to_string(i % 3), 1 + i % 2,
         i % 2 ? "floor" : "balcony");
  for (int i = 0; i < 5; ++i) c->make_due("e1", "e1." + std::to_string(i));
  auto r = c->expire("e1", "3");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.n, 3);
  EXPECT_TRUE(audit_consistent("e1"));
  r = c->expire("e1", "3");
  EXPECT_EQ(r.n, 2);
  EXPECT_EQ(c->expire("e1").n, 0);
  EXPECT_EQ(status_of("e1", "e1.5"), "held");
  EXPECT_EQ(cnt("e1", "expired"), 5);
  EXPECT_EQ(cnt("e1", "held"), 1);
  EXPECT_EQ(zone("e1", "floor").held, 2);
  EXPECT_EQ(zone("e1", "balcony").held, 0);
  EXPECT_EQ(used("e1", "u2"), 2);
  EXPECT_EQ(used("e1", "u0"), 0);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ExpireHolds, AStaleHoldsEntryIsDroppedWithoutTouchingCounters) {
  make_event("e1");
  hold("e1", "e1.a", "alice");
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "k", "fp").ok);
  // A leftover member for a non-held reservation must not move seats.
  const auto ix = store::event_keys("e1").index();
  c->command({"ZADD", ix, "0", layout::event_order_member(1, "e1.a")});
  EXPECT_EQ(c->expire("e1").n, 0);
  EXPECT_EQ(c->command({"ZLEXCOUNT", ix, "[e:", "(e;"})->integer, 0);
  EXPECT_EQ(zone("e1").sold, 1);
  EXPECT_TRUE(audit_consistent("e1"));
}

}  // namespace
}  // namespace seatgate::test
