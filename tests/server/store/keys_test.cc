// Key names against the Lua text: every key a script derives from the
// event's prefix has a name in store/keys.h, in the same shape.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "seatgate/lua_scripts.h"
#include "store/keys.h"
#include "store/room_keys.h"

namespace seatgate::test {
namespace {

using store::event_keys;

TEST(Keys, EventPrefixIsThePreludes) {
  // The prelude documents KEYS[1] as "sg:{e:<event>}:ev" and cuts the prefix from it.
  const std::string_view text = lua::all_scripts()[0].text;
  const std::string doc = "KEYS[1] is always \"sg:{e:<event>}:ev\"";
  ASSERT_NE(text.find(doc), std::string_view::npos);
  EXPECT_EQ(store::event_prefix("e-1"), "sg:{e:e-1}:");
  EXPECT_EQ(event_keys("e-1").event(), "sg:{e:e-1}:ev");
  EXPECT_EQ(event_keys("e-1").prefix(), store::event_prefix("e-1"));
}

// Every script receives every key it touches in KEYS (docs/redis-schema.md):
// no script, library or prelude builds a key name from the event's prefix, so
// on a Cluster a script runs whole on the slot's node or is refused before it
// writes. (tests/lua's declared-keys run checks the waiting room's under ACLs.)
TEST(Keys, NoScriptBuildsAKeyName) {
  const std::regex derived(R"(\bP \.\.|KEYS\[1\] *\.\.)");
  std::size_t checked = 0;
  for (const auto& s : lua::all_scripts()) {
    const std::string text(s.text);
    EXPECT_FALSE(std::regex_search(text, derived)) << s.name << " builds a key name";
    ++checked;
  }
  EXPECT_GE(checked, 19u);
}

TEST(Keys, ShapesOfTheEventsKeys) {
  const event_keys k("e1");
  EXPECT_EQ(k.event(), "sg:{e:e1}:ev");
  EXPECT_EQ(k.reservations(), "sg:{e:e1}:r");
  EXPECT_EQ(k.index(), "sg:{e:e1}:ix");
  EXPECT_EQ(k.outbox(), "sg:{e:e1}:out");
  EXPECT_EQ(k.seats(), "sg:{e:e1}:seats");
  EXPECT_EQ(k.seat_holders(), "sg:{e:e1}:sh");
  EXPECT_EQ(k.seat_layouts(), "sg:{e:e1}:sl");
  EXPECT_EQ(k.user_recent("al"), "sg:{e:e1}:rl:al");
  EXPECT_EQ(k.pass("t"), "sg:{e:e1}:pass:t");
  EXPECT_EQ(k.queue(), "sg:{e:e1}:q");
  EXPECT_EQ(k.passes(), "sg:{e:e1}:passes");
  EXPECT_STREQ(store::k_events_key, "sg:events");
  EXPECT_STREQ(store::k_rooms_key, "sg:rooms");
  EXPECT_STREQ(store::k_layout_key, "sg:schema");
  const store::room_keys r("e1");
  EXPECT_EQ(r.queue_seq(), "sg:{e:e1}:qseq");
  EXPECT_EQ(r.admits(), "sg:{e:e1}:admits");
  EXPECT_EQ(r.user_pass("al"), "sg:{e:e1}:qp:al");
  EXPECT_EQ(r.user_revoked("al"), "sg:{e:e1}:qrv:al");
  EXPECT_EQ(store::user_queues_key("al"), "sg:{u:al}:queues");
  EXPECT_EQ(store::user_gen_key("al"), "sg:{u:al}:qgen");
}

TEST(Keys, IdempotencyKeyCarriesTheUsersLength) {
  const event_keys k("e1");
  EXPECT_EQ(k.idempotency("alice", "k1"), "sg:{e:e1}:idem:5:alice:k1");
  // Without the length these two would be the same key.
  EXPECT_EQ(k.idempotency("a:b", "c"), "sg:{e:e1}:idem:3:a:b:c");
  EXPECT_EQ(k.idempotency("a", "b:c"), "sg:{e:e1}:idem:1:a:b:c");
  EXPECT_NE(k.idempotency("a:b", "c"), k.idempotency("a", "b:c"));
}

}  // namespace
}  // namespace seatgate::test
