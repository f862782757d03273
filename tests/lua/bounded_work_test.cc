// Work per script call stays bounded however long a user's history grows
// (list pages, the per-minute cap on new reservations, the audit's scan), a
// short reserve returns the user's and the zone's own due holds first, and
// sold_out is retryable only when waiting can help (docs/redis-schema.md).
#include "lua_fixture.h"

#include <set>

namespace seatgate::test {
namespace {

using ListPages = LuaTest;
using PerMinuteCap = LuaTest;
using TargetedExpiry = LuaTest;
using SoldOutRetry = LuaTest;
using AuditScan = LuaTest;

// Calls of `cmd` inside scripts since the last CONFIG RESETSTAT.
long long calls(lua_client& c, const std::string& cmd) {
  auto r = c.command({"INFO", "commandstats"});
  std::string text(r->str, r->len);
  auto at = text.find("cmdstat_" + cmd + ":calls=");
  if (at == std::string::npos) return 0;
  return std::stoll(text.substr(at + cmd.size() + 15));
}

class History : public LuaTest {
 protected:
  // `n` reservations of `user`, each made and released at once (cap off).
  std::vector<std::string> make_history(const std::string& ev, const std::string& user, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      std::string rid = ev + "." + user + std::to_string(100000 + i);
      auto r = c->reserve(ev, rid, user, "floor", "1", "k" + rid, "fp" + rid, "", "64", "0");
      EXPECT_TRUE(r.ok) << r.code;
      EXPECT_TRUE(c->release(ev, rid, user).ok);
      ids.push_back(rid);
    }
    return ids;
  }
  std::vector<std::string> stored_order(const std::string& ev, const std::string& user) {
    // The user's history members in the index: "h:<len>:<user>:<created>:<rid>".
    const std::string tag = "h:" + std::to_string(user.size()) + ":" + user + ":";
    auto r = c->command({"ZRANGEBYLEX", store::event_keys(ev).index(), "[" + tag,
                         "(h:" + std::to_string(user.size()) + ":" + user + ";"});
    std::vector<std::string> out;
    for (size_t i = 0; i < r->elements; ++i)
      out.push_back(std::string(r->element[i]->str).substr(tag.size() + 16));
    return out;
  }
};

TEST_F(History, PagesChainThroughTwoThousandReservationsOnceInOrder) {
  make_event("e1", {.zones = {{"floor", 10}}, .max_per_user = 10});
  make_history("e1", "alice", 2000);
  const auto order = stored_order("e1", "alice");
  ASSERT_EQ(order.size(), 2000u);

  std::vector<std::string> seen;
  std::string at, after;
  long long last_created = 0;
  int pages = 0;
  for (;;) {
    auto r = c->list("e1", "alice", "64", "100", at, after);
    ASSERT_TRUE(r.ok) << r.code;
    ASSERT_LE(r.n, 100);
    ++pages;
    for (auto& f : r.list) {
      EXPECT_EQ(f["status"], "released");
      EXPECT_GE(std::stoll(f["created_at"]), last_created);
      last_created = std::stoll(f["created_at"]);
      seen.push_back(f["id"]);
    }
    if (!r.more) break;
    ASSERT_FALSE(r.list.empty());
    at = r.list.back()["created_at"];
    after = r.list.back()["id"];
    ASSERT_LE(pages, 20);
  }
  EXPECT_EQ(pages, 20);
  EXPECT_EQ(seen, order);  // every reservation exactly once, oldest first
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 2000u);

  // The default page is 50; another user's list is empty.
  auto first = c->list("e1", "alice");
  EXPECT_EQ(first.n, 50);
  EXPECT_EQ(first.more, 1);
  EXPECT_EQ(c->list("e1", "bob").n, 0);
}

TEST_F(History, OneListCallReadsOnlyItsPage) {
  make_event("e1");
  make_history("e1", "alice", 2000);
  c->command({"CONFIG", "RESETSTAT"});
  auto r = c->list("e1", "alice", "64", "10");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.n, 10);
  // One record read per listed reservation, not per reservation ever made.
  EXPECT_EQ(calls(*c, "hget"), 10);
  EXPECT_LE(calls(*c, "hmget"), 10);
}

TEST_F(History, ACursorMustNameOneOfTheUsersReservations) {
  make_event("e1");
  auto mine = make_history("e1", "alice", 3);
  auto theirs = make_history("e1", "bob", 1);
  auto created = layout::read_record(*server_, "e1", mine[0])->created_at;
  auto bob_created = layout::read_record(*server_, "e1", theirs[0])->created_at;
  EXPECT_EQ(c->list("e1", "alice", "64", "2", bob_created, theirs[0]).code, "invalid_request");
  EXPECT_EQ(c->list("e1", "alice", "64", "2", "1", mine[0]).code, "invalid_request");
  EXPECT_EQ(c->list("e1", "alice", "64", "2", created, "e1.nope").code, "invalid_request");
  auto ok = c->list("e1", "alice", "64", "2", created, mine[0]);
  ASSERT_TRUE(ok.ok) << ok.code;
  EXPECT_EQ(ok.n, 2);
  EXPECT_EQ(ok.more, 0);
}

TEST_F(PerMinuteCap, RefusesTheFourthOfThreeAndReplaysDoNotCount) {
  make_event("e1");
  auto reserve = [&](const std::string& rid, const std::string& key) {
    return c->reserve("e1", rid, "alice", "floor", "1", key, "fp-" + key, "", "64", "3");
  };
  for (int i = 0; i < 3; ++i) {
    auto r = reserve("e1.r" + std::to_string(i), "k" + std::to_string(i));
    ASSERT_TRUE(r.ok) << r.code;
    ASSERT_TRUE(c->release("e1", "e1.r" + std::to_string(i), "alice").ok);
  }
  auto z = zone("e1");
  auto refused = reserve("e1.r3", "k3");
  EXPECT_EQ(refused.code, "rate_limited");
  EXPECT_GE(refused.retry_after_s, 1);
  EXPECT_LE(refused.retry_after_s, 60);
  EXPECT_EQ(c->command({"HEXISTS", store::event_keys("e1").reservations(), "e1.r3"})->integer, 0);
  EXPECT_EQ(c->command({"EXISTS", idem("e1", "alice", "k3")})->integer, 0);
  EXPECT_EQ(zone("e1").available, z.available);
  EXPECT_EQ(cnt("e1", "held"), 0);

  // A replay answers its reservation and is not counted.
  auto replay = reserve("e1.r9", "k1");
  ASSERT_TRUE(replay.ok) << replay.code;
  EXPECT_EQ(replay.replayed, 1);
  EXPECT_EQ(replay.reservation["id"], "e1.r1");
  EXPECT_EQ(c->command({"ZCARD", prefix("e1") + "rl:alice"})->integer, 3);
  // Other users, and a cap of 0, are not held back.
  EXPECT_TRUE(c->reserve("e1", "e1.b0", "bob", "floor", "1", "b0", "fp", "", "64", "3").ok);
  EXPECT_TRUE(reserve("e1.r4", "k4").code == "rate_limited");
  EXPECT_TRUE(c->reserve("e1", "e1.r5", "alice", "floor", "1", "k5", "fp", "", "64", "0").ok);
}

TEST_F(PerMinuteCap, RetryAfterIsWhenTheOldestLeavesTheWindow) {
  make_event("e1");
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(c->reserve("e1", "e1.r" + std::to_string(i), "alice", "floor", "1",
                           "k" + std::to_string(i), "fp", "", "64", "2")
                    .ok);
  auto k = prefix("e1") + "rl:alice";
  auto now = c->now_ms();
  // The oldest was made 58.5 s ago: a place frees within 2 s.
  c->command({"ZADD", k, "XX", std::to_string(now - 58500), "e1.r0"});
  auto r = c->reserve("e1", "e1.r2", "alice", "floor", "1", "k2", "fp", "", "64", "2");
  EXPECT_EQ(r.code, "rate_limited");
  EXPECT_GE(r.retry_after_s, 1);
  EXPECT_LE(r.retry_after_s, 2);
  // Past the window it counts no more.
  c->command({"ZADD", k, "XX", std::to_string(now - 61000), "e1.r0"});
  auto ok = c->reserve("e1", "e1.r2", "alice", "floor", "1", "k2", "fp", "", "64", "2");
  ASSERT_TRUE(ok.ok) << ok.code;
  EXPECT_EQ(c->command({"ZCARD", k})->integer, 2);  // the old entry was dropped
  EXPECT_GT(c->command({"PTTL", k})->integer, 0);
}

// 100 due holds of other users on another zone expire first by time; the
// user's own due hold comes back anyway.
TEST_F(TargetedExpiry, TheUsersOwnDueHoldComesBackBehindAHundredOthers) {
  make_event("e1", {.zones = {{"floor", 10}, {"side", 200}}, .max_per_user = 1});
  for (int i = 0; i < 100; ++i) {
    std::string rid = "e1.o" + std::to_string(i), user = "u" + std::to_string(i);
    hold("e1", rid, user, 1, "side");
    c->make_due("e1", rid, 5000 + i);
  }
  hold("e1", "e1.mine", "alice", 1);
  c->make_due("e1", "e1.mine", 1000);
  auto r = c->reserve("e1", "e1.next", "alice", "floor", "1", "k2", "fp2");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(status_of("e1", "e1.mine"), "expired");
  EXPECT_EQ(used("e1", "alice"), 1);
  EXPECT_EQ(cnt("e1", "expired") + cnt("e1", "held"), 102);
  EXPECT_TRUE(audit_consistent("e1"));
  // Exactly once: the sweeper finds the rest, never the user's hold again.
  const long long expired_before = cnt("e1", "expired");
  EXPECT_EQ(c->expire("e1", "1000").n, 101 - expired_before);
  EXPECT_EQ(cnt("e1", "expired"), 101);
  EXPECT_EQ(zone("e1", "side").available, 200);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(TargetedExpiry, TheZonesOnlySeatComesBackBehindAHundredOthers) {
  make_event("e1", {.zones = {{"floor", 1}, {"side", 200}}});
  for (int i = 0; i < 100; ++i) {
    std::string rid = "e1.o" + std::to_string(i), user = "u" + std::to_string(i);
    hold("e1", rid, user, 1, "side");
    c->make_due("e1", rid, 5000 + i);
  }
  hold("e1", "e1.bob", "bob", 1);
  c->make_due("e1", "e1.bob", 1000);
  auto r = c->reserve("e1", "e1.alice", "alice", "floor", "1", "k", "fp");
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(status_of("e1", "e1.bob"), "expired");
  EXPECT_EQ(used("e1", "bob"), 0);
  auto z = zone("e1");
  EXPECT_EQ(z.available, 0);
  EXPECT_EQ(z.held, 1);
  EXPECT_TRUE(audit_consistent("e1"));
  // Bob's hold is expired once: confirming it answers reservation_expired.
  EXPECT_EQ(c->confirm("e1", "e1.bob", "bob", "kc", "fpc").code, "reservation_expired");
  EXPECT_EQ(cnt("e1", "held") + cnt("e1", "expired"), 102);
}

TEST_F(TargetedExpiry, EveryWayAHoldEndsLeavesTheIndexes) {
  make_event("e1");
  const auto ix = store::event_keys("e1").index();
  auto members = [&](const std::string& order) {
    return c->command({"ZLEXCOUNT", ix, "[" + order, "(" + order + "~"})->integer;
  };
  hold("e1", "e1.a", "alice");
  hold("e1", "e1.b", "alice");
  hold("e1", "e1.c", "alice");
  EXPECT_EQ(members("u:5:alice:"), 3);
  EXPECT_EQ(members("z:floor:"), 3);
  ASSERT_TRUE(c->confirm("e1", "e1.a", "alice", "kc", "fpc").ok);
  ASSERT_TRUE(c->release("e1", "e1.b", "alice").ok);
  c->make_due("e1", "e1.c");
  ASSERT_EQ(c->expire("e1").n, 1);
  EXPECT_EQ(members("u:5:alice:") + members("z:floor:") + members("e:"), 0);
}

TEST_F(SoldOutRetry, RetryableOnlyWhenTheZonesHoldsCouldCoverTheOrder) {
  make_event("e1", {.zones = {{"floor", 3}}});
  hold("e1", "e1.b", "bob", 2);
  auto never = c->reserve("e1", "e1.a", "alice", "floor", "4", "k1", "fp1");
  EXPECT_EQ(never.code, "sold_out");
  EXPECT_EQ(never.retry_after_s, 0);  // 1 available + 2 held < 4
  auto later = c->reserve("e1", "e1.a", "alice", "floor", "3", "k2", "fp2");
  EXPECT_EQ(later.code, "sold_out");
  EXPECT_EQ(later.retry_after_s, 1);  // 1 available + 2 held >= 3
  EXPECT_EQ(zone("e1").available, 1);
  EXPECT_EQ(used("e1", "alice"), 0);
}

TEST_F(AuditScan, BeyondTheScanLimitOnlyTheCountersAreChecked) {
  make_event("e1");
  for (int i = 0; i < 6; ++i) hold("e1", "e1.r" + std::to_string(i), "u" + std::to_string(i));
  auto full = c->audit("e1");
  ASSERT_TRUE(full.ok);
  EXPECT_EQ(full.json()["scan"]["holds"], 6);
  EXPECT_EQ(full.json()["scan"]["complete"], true);
  EXPECT_EQ(full.json()["consistent"], true);
  auto part = c->audit("e1", "5");
  EXPECT_EQ(part.json()["scan"]["complete"], false);
  EXPECT_EQ(part.json()["consistent"], true);
  // A counter out of step is seen either way.
  c->command({"HINCRBY", store::event_keys("e1").event(), "n:held", "1"});
  EXPECT_EQ(c->audit("e1", "5").json()["consistent"], false);
  EXPECT_EQ(c->audit("e1").json()["consistent"], false);
}

}  // namespace
}  // namespace seatgate::test
