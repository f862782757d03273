// reserve_seats: every path of docs/redis-schema.md § reserve_seats.
#include "lua_fixture.h"

#include <deque>

namespace seatgate::test {
namespace {

using ReserveSeats = LuaTest;

TEST_F(ReserveSeats, HoldsSeatsAndWritesEveryKey) {
  make_event("e1");
  long long before = c->now_ms();
  auto r = c->reserve("e1", "e1.aaa", "alice", "floor", "3", "key1", "fp1");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.replayed, 0);
  auto& f = r.reservation;
  EXPECT_EQ(f["id"], "e1.aaa");
  EXPECT_EQ(f["event_id"], "e1");
  EXPECT_EQ(f["zone_id"], "floor");
  EXPECT_EQ(f["user_id"], "alice");
  EXPECT_EQ(f["quantity"], "3");
  EXPECT_EQ(f["amount"], "13500");
  EXPECT_EQ(f["currency"], "EUR");
  EXPECT_EQ(f["status"], "held");
  EXPECT_EQ(f["confirmed_at"], "");
  EXPECT_EQ(f["payment_ref"], "");
  long long created = std::stoll(f["created_at"]);
  EXPECT_GE(created, before);
  EXPECT_EQ(std::stoll(f["expires_at"]), created + 600 * 1000);

  // The reply carries what the caller cannot know; with what it sent, that
  // is the stored hash.
  const fields fresh = {{"created_at", f["created_at"]},
                        {"expires_at", f["expires_at"]},
                        {"amount", "13500"},
                        {"currency", "EUR"}};
  EXPECT_EQ(r.fresh_reply, fresh);
  auto stored = c->read("e1", "e1.aaa", "alice");
  EXPECT_EQ(stored.reservation, f);
  auto z = zone("e1");
  EXPECT_EQ(z.available, 7);
  EXPECT_EQ(z.held, 3);
  EXPECT_EQ(z.sold, 0);
  EXPECT_EQ(used("e1", "alice"), 3);
  EXPECT_EQ(cnt("e1", "held"), 1);
  const auto ix = store::event_keys("e1").index();
  EXPECT_EQ(
      c->command({"ZSCORE", ix, layout::event_order_member(std::stoll(f["expires_at"]), "e1.aaa")})
          ->type,
      REDIS_REPLY_STRING);
  EXPECT_EQ(c->command({"ZSCORE", ix,
                        layout::history_member("alice", std::stoll(f["created_at"]), "e1.aaa")})
                ->type,
            REDIS_REPLY_STRING);
  EXPECT_EQ(idem_record("e1", "alice", "key1").second, "fp1");
  EXPECT_EQ(idem_record("e1", "alice", "key1").first, "e1.aaa");
  auto ttl = c->command({"TTL", idem("e1", "alice", "key1")})->integer;
  EXPECT_GT(ttl, 86000);
  EXPECT_LE(ttl, 86400);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, ReplayAnswersTheSameReservationWithoutWriting) {
  make_event("e1");
  auto first = c->reserve("e1", "e1.aaa", "alice", "floor", "2", "key1", "fp1");
  ASSERT_TRUE(first.ok);
  // A retry carries a new server-generated id; the record wins.
  auto again = c->reserve("e1", "e1.bbb", "alice", "floor", "2", "key1", "fp1");
  ASSERT_TRUE(again.ok) << again.code;
  EXPECT_EQ(again.replayed, 1);
  EXPECT_EQ(again.reservation, first.reservation);
  EXPECT_EQ(zone("e1").held, 2);
  EXPECT_EQ(cnt("e1", "held"), 1);
  EXPECT_EQ(c->command({"HEXISTS", store::event_keys("e1").reservations(), "e1.bbb"})->integer, 0);
}

TEST_F(ReserveSeats, ReplayShowsCurrentStateAndExpiresADueHold) {
  make_event("e1");
  ASSERT_TRUE(c->reserve("e1", "e1.aaa", "alice", "floor", "2", "key1", "fp1").ok);
  c->make_due("e1", "e1.aaa");
  auto again = c->reserve("e1", "e1.bbb", "alice", "floor", "2", "key1", "fp1");
  ASSERT_TRUE(again.ok);
  EXPECT_EQ(again.replayed, 1);
  EXPECT_EQ(again.reservation["status"], "expired");
  EXPECT_EQ(zone("e1").available, 10);
  EXPECT_EQ(cnt("e1", "expired"), 1);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, SameKeyDifferentRequestIsReused) {
  make_event("e1");
  ASSERT_TRUE(c->reserve("e1", "e1.aaa", "alice", "floor", "2", "key1", "fp1").ok);
  auto r = c->reserve("e1", "e1.bbb", "alice", "floor", "3", "key1", "fp2");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.code, "idempotency_key_reused");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_EQ(zone("e1").held, 2);
}

TEST_F(ReserveSeats, RecordOfAnotherUsersReservationIsNeverReplayed) {
  make_event("e1");
  ASSERT_TRUE(c->reserve("e1", "e1.aaa", "alice", "floor", "2", "key1", "fp1").ok);
  // Forge a record under bob's key that points at alice's reservation.
  c->command({"SET", idem("e1", "bob", "key1"), "e1.aaa fp1"});
  auto r = c->reserve("e1", "e1.bbb", "bob", "floor", "2", "key1", "fp1");
  EXPECT_EQ(r.code, "idempotency_key_reused");
}

TEST_F(ReserveSeats, UnknownEventAndZone) {
  auto r = c->reserve("nope", "nope.a", "alice", "floor", "1", "k", "fp");
  EXPECT_EQ(r.code, "event_not_found");
  make_event("e1");
  r = c->reserve("e1", "e1.a", "alice", "balcony", "1", "k", "fp");
  EXPECT_EQ(r.code, "zone_not_found");
  EXPECT_EQ(r.retry_after_s, 0);
}

TEST_F(ReserveSeats, EventNotOnSale) {
  make_event("e1");
  for (std::string s : {"paused", "closed"}) {
    ASSERT_TRUE(c->set_status("e1", s).ok);
    auto r = c->reserve("e1", "e1.a", "alice", "floor", "1", "k", "fp");
    EXPECT_EQ(r.code, "event_not_on_sale") << s;
  }
  ASSERT_TRUE(c->set_status("e1", "on_sale").ok);
  EXPECT_TRUE(c->reserve("e1", "e1.a", "alice", "floor", "1", "k", "fp").ok);
}

TEST_F(ReserveSeats, InvalidQuantity) {
  event_config cfg;
  cfg.max_per_order = 4;
  make_event("e1", cfg);
  for (std::string q : {"0", "-1", "1.5", "abc", "", "5"}) {
    auto r = c->reserve("e1", "e1.a", "alice", "floor", q, "k", "fp");
    EXPECT_EQ(r.code, "invalid_quantity") << "quantity '" << q << "'";
  }
  EXPECT_TRUE(c->reserve("e1", "e1.a", "alice", "floor", "4", "k", "fp").ok);
}

TEST_F(ReserveSeats, AFailureWritesNothingAndTheKeyCanBeRetried) {
  make_event("e1");
  auto r = c->reserve("e1", "e1.a", "alice", "floor", "11", "k", "fp");
  EXPECT_EQ(r.code, "invalid_quantity");
  r = c->reserve("e1", "e1.a", "bob", "floor", "5", "kb", "fpb");
  ASSERT_TRUE(r.ok);
  r = c->reserve("e1", "e1.c", "carol", "floor", "6", "k", "fp");
  EXPECT_EQ(r.code, "sold_out");
  const store::event_keys k("e1");
  EXPECT_EQ(c->command({"EXISTS", idem("e1", "carol", "k")})->integer, 0);
  EXPECT_EQ(c->command({"HEXISTS", k.reservations(), "e1.c"})->integer, 0);
  EXPECT_EQ(c->command({"HEXISTS", k.event(), "u:carol"})->integer, 0);
  EXPECT_EQ(c->command({"ZLEXCOUNT", k.index(), "[h:5:carol:", "(h:5:carol;"})->integer, 0);
  EXPECT_EQ(cnt("e1", "held"), 1);
  // Once seats come back, the same key succeeds.
  ASSERT_TRUE(c->release("e1", "e1.a", "bob").ok);
  r = c->reserve("e1", "e1.c", "carol", "floor", "6", "k", "fp");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.replayed, 0);
}

TEST_F(ReserveSeats, SoldOutIsRetryableOnlyWhileSeatsAreHeld) {
  event_config cfg;
  cfg.zones = {{"floor", 4}};
  make_event("e1", cfg);
  hold("e1", "e1.a", "alice", 3);
  auto r = c->reserve("e1", "e1.b", "bob", "floor", "2", "kb", "fpb");
  EXPECT_EQ(r.code, "sold_out");
  EXPECT_EQ(r.retry_after_s, 1);
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "kc", "fpc").ok);
  r = c->reserve("e1", "e1.b", "bob", "floor", "2", "kb", "fpb");
  EXPECT_EQ(r.code, "sold_out");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_TRUE(c->reserve("e1", "e1.b", "bob", "floor", "1", "kb", "fpb").ok);
}

TEST_F(ReserveSeats, EmptyZoneIsSoldOutForGood) {
  event_config cfg;
  cfg.zones = {{"floor", 0}};
  make_event("e1", cfg);
  auto r = c->reserve("e1", "e1.b", "bob", "floor", "1", "kb", "fpb");
  EXPECT_EQ(r.code, "sold_out");
  EXPECT_EQ(r.retry_after_s, 0);
}

TEST_F(ReserveSeats, UserLimitCountsTheEventsWholeLife) {
  event_config cfg;
  cfg.zones = {{"floor", 100}, {"balcony", 100}};
  cfg.max_per_user = 6;
  make_event("e1", cfg);
  hold("e1", "e1.a", "alice", 3);
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "kc", "fpc").ok);
  hold("e1", "e1.b", "alice", 2, "balcony");  // zones share the allowance
  auto r = c->reserve("e1", "e1.c", "alice", "floor", "2", "k3", "fp3");
  EXPECT_EQ(r.code, "user_limit_exceeded");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_TRUE(c->reserve("e1", "e1.c", "bob", "floor", "6", "k3", "fp3").ok);

  // A released hold gives its allowance back.
  ASSERT_TRUE(c->release("e1", "e1.b", "alice").ok);
  EXPECT_EQ(used("e1", "alice"), 3);
  hold("e1", "e1.d", "alice", 3);
  EXPECT_EQ(c->reserve("e1", "e1.e", "alice", "floor", "1", "k5", "fp5").code,
            "user_limit_exceeded");

  // So does an expired one.
  c->make_due("e1", "e1.d");
  hold("e1", "e1.f", "alice", 3);
  EXPECT_EQ(status_of("e1", "e1.d"), "expired");
  EXPECT_EQ(used("e1", "alice"), 6);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, ExpiresDueHoldsOfTheEventFirst) {
  event_config cfg;
  cfg.zones = {{"floor", 3}, {"balcony", 5}};
  make_event("e1", cfg);
  hold("e1", "e1.a", "alice", 2);
  hold("e1", "e1.b", "bob", 1);
  hold("e1", "e1.c", "carol", 1, "balcony");
  c->make_due("e1", "e1.a");
  c->make_due("e1", "e1.c");
  // The zone looks full until the due hold goes back, in the same script.
  auto r = c->reserve("e1", "e1.d", "dave", "floor", "2", "kd", "fpd");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(status_of("e1", "e1.a"), "expired");
  EXPECT_EQ(status_of("e1", "e1.c"), "expired");  // other zones too
  EXPECT_EQ(status_of("e1", "e1.b"), "held");
  EXPECT_EQ(cnt("e1", "expired"), 2);
  EXPECT_EQ(zone("e1", "balcony").available, 5);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, ExpiryIsBoundedByTheBatch) {
  event_config cfg;
  cfg.zones = {{"floor", 5}};
  make_event("e1", cfg);
  for (int i = 0; i < 5; ++i) hold("e1", "e1." + std::to_string(i), "u" + std::to_string(i));
  for (int i = 0; i < 5; ++i) c->make_due("e1", "e1." + std::to_string(i), 1000 - i);
  // Sold out until due holds go back: at most `batch` of them.
  auto r = c->reserve("e1", "e1.x", "x", "floor", "1", "kx", "fpx", "", "2");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(cnt("e1", "expired"), 2);
  r = c->reserve("e1", "e1.y", "y", "floor", "1", "ky", "fpy", "", "0");
  ASSERT_TRUE(r.ok) << r.code;
  r = c->reserve("e1", "e1.z", "z", "floor", "1", "kz", "fpz", "", "0");
  EXPECT_EQ(r.code, "sold_out");
  EXPECT_EQ(r.retry_after_s, 1);
  EXPECT_EQ(cnt("e1", "expired"), 2);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, LeavesDueHoldsAloneWhenTheyCannotChangeTheAnswer) {
  // Enough seats and allowance: the due hold stays for the sweeper (or
  // confirm, release, a read, the next reserve that is short) to return.
  make_event("e1");
  hold("e1", "e1.a", "alice", 2);
  c->make_due("e1", "e1.a");
  ASSERT_TRUE(c->reserve("e1", "e1.b", "bob", "floor", "1", "kb", "fpb").ok);
  EXPECT_EQ(status_of("e1", "e1.a"), "held");
  EXPECT_EQ(cnt("e1", "expired"), 0);
  EXPECT_EQ(c->expire("e1").n, 1);  // exactly once, by whoever comes first
  EXPECT_EQ(c->expire("e1").n, 0);
  EXPECT_EQ(zone("e1").available, 9);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, ExpiresDueHoldsWhenTheUserIsShortOfAllowance) {
  event_config cfg;
  cfg.max_per_user = 2;
  make_event("e1", cfg);
  hold("e1", "e1.a", "alice", 2);
  c->make_due("e1", "e1.a");
  auto r = c->reserve("e1", "e1.b", "alice", "floor", "2", "kb", "fpb");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(status_of("e1", "e1.a"), "expired");
  EXPECT_EQ(used("e1", "alice"), 2);
  EXPECT_EQ(zone("e1").held, 2);
  EXPECT_EQ(zone("e1").available, 8);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(ReserveSeats, HoldTtlComesFromTheEvent) {
  event_config cfg;
  cfg.hold_ttl_s = 10;
  make_event("e1", cfg);
  auto f = hold("e1", "e1.a", "alice");
  EXPECT_EQ(std::stoll(f["expires_at"]) - std::stoll(f["created_at"]), 10000);
}

// One call with several requests (lua/reserve_seats.lua): each answers as
// the same request sent alone, in order, replays of requests earlier in the
// same batch included.
TEST_F(ReserveSeats, ABatchAnswersEachRequestAsSeparateCallsWould) {
  event_config cfg;
  cfg.zones = {{"floor", 5}};
  cfg.max_per_order = 4;
  cfg.max_per_user = 4;
  struct request {
    std::string rid, user, q, key, fp, want;
  };
  const std::vector<request> reqs = {
      {"a0x", "alice", "1", "k0", "fp0", "replay"},  // of the hold made before the batch
      {"a1", "alice", "2", "k1", "fp1", "ok"},
      {"b1", "bob", "5", "k2", "fp2", "invalid_quantity"},
      {"b2", "bob", "2", "k3", "fp3", "ok"},  // the last two seats
      {"c1", "carol", "1", "k4", "fp4", "sold_out"},
      {"a1x", "alice", "2", "k1", "fp1", "replay"},  // of a success earlier in this batch
      {"a2", "alice", "2", "k1", "fpX", "idempotency_key_reused"},
      {"c2", "carol", "1", "k4", "fp4", "sold_out"},  // a failure stored no record
  };
  for (const std::string ev : {"e1", "e2"}) {
    make_event(ev, cfg);
    ASSERT_TRUE(c->reserve(ev, ev + ".a0", "alice", "floor", "1", "k0", "fp0").ok);
  }
  std::vector<std::string> rids;
  for (const auto& r : reqs) rids.push_back("e1." + r.rid);
  std::vector<store::reserve_seats_args> batch;
  for (std::size_t i = 0; i < reqs.size(); ++i)
    batch.push_back({.event_id = "e1",
                     .rid = rids[i],
                     .user = reqs[i].user,
                     .zone = "floor",
                     .quantity = store::number::verbatim(reqs[i].q),
                     .idem_key = reqs[i].key,
                     .fingerprint = reqs[i].fp,
                     .queue_pass = "",
                     .idem_ttl_s = k_idem_ttl_s,
                     .expire_batch = 64,
                     .per_minute = 0});
  auto reply = c->evalsha(store::reserve_seats_batch(batch));
  ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(reply->elements, reqs.size());
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    SCOPED_TRACE(reqs[i].rid);
    const auto in_batch = parse_reply(lua::script::reserve_seats, reply->element[i]);
    const auto alone = c->reserve("e2", "e2." + reqs[i].rid, reqs[i].user, "floor", reqs[i].q,
                                  reqs[i].key, reqs[i].fp);
    expect_same_answer(in_batch, alone, reqs[i].want);
  }
  for (const std::string ev : {"e1", "e2"}) {
    auto z = zone(ev);
    EXPECT_EQ(z.available, 0) << ev;
    EXPECT_EQ(z.held, 5) << ev;
    EXPECT_EQ(used(ev, "alice"), 3) << ev;
    EXPECT_EQ(used(ev, "carol"), 0) << ev;
    EXPECT_EQ(cnt(ev, "held"), 3) << ev;
    EXPECT_EQ(c->command({"XLEN", store::event_keys(ev).outbox()})->integer, 3) << ev;
    EXPECT_TRUE(audit_consistent(ev)) << ev;
  }
}

// A batch writes the event hash, the records and the index once, at its end
// (the prelude's write-behind): what a request reads must still be what the
// requests before it in the batch wrote, expiry of due holds included, and a
// request that fails with an error fails alone.
TEST_F(ReserveSeats, ABatchSeesItsOwnWritesAndAnErrorFailsOnlyItsRequest) {
  event_config cfg;
  cfg.zones = {{"floor", 4}};
  cfg.max_per_order = 4;
  cfg.max_per_user = 4;
  make_event("e1", cfg);
  hold("e1", "e1.old", "alice", 3);
  c->make_due("e1", "e1.old");
  // dave's per-minute key is not a sorted set: his request fails with an error.
  c->command({"SET", store::event_keys("e1").user_recent("dave"), "not-a-zset"});
  std::deque<std::string> text;  // what the arguments' views point into
  auto keep = [&](std::string s) -> std::string_view { return text.emplace_back(std::move(s)); };
  auto args = [&](const std::string& rid, const char* user, const char* q,
                  long long per_minute = 0) {
    return store::reserve_seats_args{.event_id = "e1",
                                     .rid = keep("e1." + rid),
                                     .user = user,
                                     .zone = "floor",
                                     .quantity = store::number::verbatim(q),
                                     .idem_key = keep("k-" + rid),
                                     .fingerprint = keep("fp-" + rid),
                                     .queue_pass = "",
                                     .idem_ttl_s = k_idem_ttl_s,
                                     .expire_batch = 64,
                                     .per_minute = per_minute};
  };
  // b1 takes the last free seat; b2 finds the zone full until alice's due
  // hold goes back (in the batch); dave errors; alice's new hold counts her
  // allowance as the expiry left it; b1 again is a replay of the buffered hold.
  auto reply = c->evalsha(store::reserve_seats_batch({args("b1", "bob", "1"),
                                                     args("b2", "bob", "2"),
                                                     args("d1", "dave", "1", 5),
                                                     args("a1", "alice", "1"),
                                                     args("b1", "bob", "1")}));
  ASSERT_EQ(reply->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(reply->elements, 5u);
  auto at = [&](std::size_t i) { return parse_reply(lua::script::reserve_seats, reply->element[i]); };
  EXPECT_TRUE(at(0).ok && at(0).replayed == 0) << at(0).code;
  EXPECT_TRUE(at(1).ok) << at(1).code;
  EXPECT_EQ(reply->element[2]->type, REDIS_REPLY_ERROR);
  EXPECT_TRUE(at(3).ok) << at(3).code;
  EXPECT_EQ(at(4).replayed, 1) << at(4).code;
  EXPECT_EQ(status_of("e1", "e1.old"), "expired");
  EXPECT_EQ(status_of("e1", "e1.b2"), "held");
  auto z = zone("e1");
  EXPECT_EQ(z.available, 0);
  EXPECT_EQ(z.held, 4);
  EXPECT_EQ(used("e1", "bob"), 3);
  EXPECT_EQ(used("e1", "alice"), 1);
  EXPECT_EQ(used("e1", "dave"), 0);
  EXPECT_EQ(cnt("e1", "held"), 3);
  EXPECT_EQ(cnt("e1", "expired"), 1);
  // Every new hold is in the index: the sweeper finds them once due.
  for (const std::string rid : {"e1.b1", "e1.b2", "e1.a1"}) c->make_due("e1", rid);
  auto e = c->expire("e1");
  ASSERT_TRUE(e.ok) << e.code;
  EXPECT_EQ(zone("e1").available, 4);
  EXPECT_EQ(cnt("e1", "expired"), 4);
  EXPECT_TRUE(audit_consistent("e1"));
}

}  // namespace
}  // namespace seatgate::test
