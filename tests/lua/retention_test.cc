// The data lifecycle scripts (docs/operations.md "Data lifecycle"):
// purge_ended removes an ended reservation only once every consumer group
// has consumed its outbox entries (the consumers trim the stream; here the
// test trims it as they would) and its retention has passed, in bounded
// batches, keeping the counters; archive_event refuses until the event is
// closed, holds nothing and its outbox is drained.
#include "lua_fixture.h"

namespace seatgate::test {
namespace {

struct purge_reply {
  long long removed = -1, more = -1, idle = -1;
};

class Lifecycle : public LuaTest {
 protected:
  // ended_ms/confirmed_ms: the retentions ("" for confirmed = kept).
  purge_reply purge(const std::string& ev, const std::string& ended_ms,
                    const std::string& confirmed_ms = "", const std::string& batch = "100") {
    auto r = c->evalsha(store::purge_ended(ev, store::number::verbatim(ended_ms),
                                           store::number::verbatim(confirmed_ms),
                                           store::number::verbatim(batch)));
    EXPECT_EQ(r->type, REDIS_REPLY_ARRAY) << (r->type == REDIS_REPLY_ERROR ? r->str : "");
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) return {};
    return {r->element[1]->integer, r->element[2]->integer, r->element[3]->integer};
  }
  bool exists(const std::string& ev, const std::string& rid) {
    return c->command({"HEXISTS", store::event_keys(ev).reservations(), rid})->integer == 1;
  }
  long long members(const std::string& ev, const std::string& from, const std::string& to) {
    return c->command({"ZLEXCOUNT", store::event_keys(ev).index(), from, to})->integer;
  }
  // What the consumers do once every group has acknowledged everything.
  void consume_all(const std::string& ev) {
    c->command({"XTRIM", store::event_keys(ev).outbox(), "MAXLEN", "0"});
  }
  std::vector<std::string> entry_ids(const std::string& ev) {
    std::vector<std::string> ids;
    auto r = c->command({"XRANGE", store::event_keys(ev).outbox(), "-", "+"});
    for (size_t i = 0; i < r->elements; ++i) ids.emplace_back(r->element[i]->element[0]->str);
    return ids;
  }
  std::string archive(const std::string& ev) {
    auto r = c->evalsha(store::archive_event(ev));
    if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) return "?";
    if (r->elements == 1) return r->element[0]->str;
    return r->element[1]->str;
  }
};

TEST_F(Lifecycle, EndedReservationsGoOnlyAfterTheirEntriesWereConsumed) {
  event_config cfg;
  cfg.max_per_user = 4;
  make_event("e1", cfg);
  hold("e1", "e1.rel", "alice", 2);
  ASSERT_TRUE(c->release("e1", "e1.rel", "alice").ok);
  hold("e1", "e1.exp", "bob");
  c->make_due("e1", "e1.exp");
  ASSERT_EQ(c->expire("e1").n, 1);
  hold("e1", "e1.conf", "carol", 3);
  ASSERT_TRUE(c->confirm("e1", "e1.conf", "carol", "kc", "fpc").ok);
  // One retention member per ended reservation, named by its last entry.
  EXPECT_EQ(members("e1", "[t:", "(t;"), 2);
  EXPECT_EQ(members("e1", "[c:", "(c;"), 1);
  const auto before = zone("e1");

  // Nothing consumed yet: every entry is still in the stream.
  auto p = purge("e1", "0", "0");
  EXPECT_EQ(p.removed, 0);
  EXPECT_TRUE(exists("e1", "e1.rel"));
  // Consumed up to (not including) bob's entries: only alice's go.
  const auto ids = entry_ids("e1");
  ASSERT_EQ(ids.size(), 6u);  // held+released, held+expired, held+confirmed
  c->command({"XTRIM", store::event_keys("e1").outbox(), "MINID", ids[2]});
  p = purge("e1", "0");
  EXPECT_EQ(p.removed, 1);
  EXPECT_FALSE(exists("e1", "e1.rel"));
  EXPECT_TRUE(exists("e1", "e1.exp"));
  // All consumed, but a retention not passed yet keeps them.
  consume_all("e1");
  EXPECT_EQ(purge("e1", "3600000", "3600000").removed, 0);
  // Retention passed; confirmed kept (no confirmed retention).
  p = purge("e1", "0");
  EXPECT_EQ(p.removed, 1);
  EXPECT_FALSE(exists("e1", "e1.exp"));
  EXPECT_TRUE(exists("e1", "e1.conf"));
  EXPECT_EQ(c->list("e1", "carol").n, 1);
  // With one: the confirmed reservation goes too.
  EXPECT_EQ(purge("e1", "0", "0").removed, 1);
  EXPECT_FALSE(exists("e1", "e1.conf"));
  // No history, no retention member left; the counters are untouched: the
  // zone's, and the users' allowance over the event's life.
  EXPECT_EQ(members("e1", "[h:", "(h;"), 0);
  EXPECT_EQ(members("e1", "[t:", "(t;"), 0);
  EXPECT_EQ(members("e1", "[c:", "(c;"), 0);
  EXPECT_EQ(c->list("e1", "carol").n, 0);
  const auto after = zone("e1");
  EXPECT_EQ(after.available, before.available);
  EXPECT_EQ(after.held, before.held);
  EXPECT_EQ(after.sold, before.sold);
  EXPECT_EQ(num(prefix("e1") + "ev", "u:carol"), 3);
  EXPECT_EQ(cnt("e1", "confirmed"), 1);
  EXPECT_TRUE(nlohmann::json::parse(c->audit("e1").text)["consistent"].get<bool>());
  // So carol's limit (4) still counts the 3 she bought.
  auto r = c->reserve("e1", "e1.more", "carol", "floor", "2", "k-more", "fp-more");
  EXPECT_EQ(r.code, "user_limit_exceeded");
  // A released reservation's read answers not found, as for any unknown id.
  EXPECT_EQ(c->read("e1", "e1.rel", "alice").code, "reservation_not_found");
}

TEST_F(Lifecycle, EachCallRemovesABoundedBatch) {
  make_event("e1");
  for (int i = 0; i < 5; ++i) {
    const auto rid = "e1.r" + std::to_string(i);
    hold("e1", rid, "alice");
    ASSERT_TRUE(c->release("e1", rid, "alice").ok);
  }
  consume_all("e1");
  auto p = purge("e1", "0", "", "2");
  EXPECT_EQ(p.removed, 2);
  EXPECT_EQ(p.more, 1);
  EXPECT_EQ(purge("e1", "0", "", "2").removed, 2);
  p = purge("e1", "0", "", "2");
  EXPECT_EQ(p.removed, 1);
  EXPECT_EQ(p.more, 0);
  EXPECT_EQ(c->command({"HLEN", store::event_keys("e1").reservations()})->integer, 0);
}

TEST_F(Lifecycle, IdleOnlyWhenClosedWithoutHoldsAndDrained) {
  make_event("e1");
  EXPECT_EQ(purge("e1", "0").idle, 0);  // on sale
  hold("e1", "e1.a", "alice");
  ASSERT_TRUE(c->set_status("e1", "closed").ok);
  EXPECT_EQ(purge("e1", "0").idle, 0);  // a hold is live
  ASSERT_TRUE(c->release("e1", "e1.a", "alice").ok);
  EXPECT_EQ(purge("e1", "0").idle, 0);  // its entries are not consumed
  consume_all("e1");
  EXPECT_EQ(purge("e1", "0").idle, 1);
  ASSERT_TRUE(c->set_status("e1", "on_sale").ok);
  EXPECT_EQ(purge("e1", "0").idle, 0);
  // An unknown event is not idle: its upsert may be on its way.
  EXPECT_EQ(purge("nope", "0").idle, 0);
}

TEST_F(Lifecycle, ArchiveRefusesUntilClosedIdleAndDrained) {
  EXPECT_EQ(archive("nope"), "event_not_found");
  make_event("e1");
  hold("e1", "e1.a", "alice");
  EXPECT_EQ(archive("e1"), "event_not_closed");
  ASSERT_TRUE(c->set_status("e1", "closed").ok);
  EXPECT_EQ(archive("e1"), "holds_live");
  ASSERT_TRUE(c->release("e1", "e1.a", "alice").ok);
  EXPECT_EQ(archive("e1"), "outbox_not_drained");
  // Each refusal changed nothing.
  EXPECT_EQ(c->command({"EXISTS", prefix("e1") + "ev"})->integer, 1);
  consume_all("e1");
  EXPECT_EQ(archive("e1"), "OK");
  EXPECT_EQ(c->command({"EXISTS", prefix("e1") + "ev"})->integer, 0);
  EXPECT_EQ(archive("e1"), "event_not_found");
}

}  // namespace
}  // namespace seatgate::test
