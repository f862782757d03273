// Key names against the Lua text: every key a script derives from the
// event's prefix has a name in store/keys.h, in the same shape.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "seatgate/lua_scripts.h"
#include "store/keys.h"

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

TEST(Keys, EveryKeyTheScriptsDeriveHasAName) {
  const event_keys k("e");
  const std::string& p = k.prefix();
  auto kind = [&](const std::string& key) { return key.substr(p.size()); };
  std::string admits = kind(k.admits(7));
  admits.pop_back();
  const std::set<std::string> named = {
      kind(k.event()),       kind(k.reservations()),   kind(k.index()),  kind(k.outbox()),
      kind(k.queue()),       kind(k.queue_seq()),      kind(k.passes()), kind(k.user_recent("")),
      kind(k.user_pass("")), kind(k.user_revoked("")), kind(k.pass("")), admits,
  };
  // P .. 'kind' in any script (the prelude included).
  const std::regex derived(R"(\bP \.\. '([^']*)')");
  std::set<std::string> seen;
  for (const auto& s : lua::all_scripts()) {
    const std::string text(s.text);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), derived);
         it != std::sregex_iterator(); ++it) {
      seen.insert((*it)[1].str());
      EXPECT_TRUE(named.count((*it)[1].str()))
          << s.name << " derives P .. '" << (*it)[1].str() << "', which store/keys.h does not name";
    }
  }
  EXPECT_GE(seen.size(), 5u) << "the pattern no longer finds the scripts' derived keys";
}

// The inventory scripts receive every key in KEYS (docs/redis-schema.md):
// neither they nor the prelude's inventory helpers build a key name.
TEST(Keys, InventoryScriptsBuildNoKeyName) {
  const std::set<std::string> inventory = {
      "reserve_seats",    "confirm_reservation", "release_reservation", "expire_holds",
      "read_reservation", "read_event",          "list_reservations",   "read_audit",
      "upsert_event",     "set_event_status"};
  const std::regex derived(R"(\bP \.\.)");
  std::size_t checked = 0;
  for (const auto& s : lua::all_scripts()) {
    if (!inventory.count(std::string(s.name))) continue;
    const std::string text(s.text);
    // The prelude up to its waiting-room helpers, and the script itself.
    const auto room = text.find("\nlocal function room(");
    const auto own = text.find("\n-- " + std::string(s.name) + ":");
    ASSERT_NE(room, std::string::npos);
    ASSERT_NE(own, std::string::npos);
    for (const std::string part : {text.substr(0, room), text.substr(own)})
      EXPECT_FALSE(std::regex_search(part, derived)) << s.name << " builds a key name from P";
    ++checked;
  }
  EXPECT_EQ(checked, inventory.size());
}

TEST(Keys, ShapesOfTheEventsKeys) {
  const event_keys k("e1");
  EXPECT_EQ(k.event(), "sg:{e:e1}:ev");
  EXPECT_EQ(k.reservations(), "sg:{e:e1}:r");
  EXPECT_EQ(k.index(), "sg:{e:e1}:ix");
  EXPECT_EQ(k.outbox(), "sg:{e:e1}:out");
  EXPECT_EQ(k.user_recent("al"), "sg:{e:e1}:rl:al");
  EXPECT_EQ(k.user_pass("al"), "sg:{e:e1}:qp:al");
  EXPECT_EQ(k.user_revoked("al"), "sg:{e:e1}:qrv:al");
  EXPECT_EQ(k.pass("t"), "sg:{e:e1}:pass:t");
  EXPECT_EQ(k.admits(1700000000), "sg:{e:e1}:admits:1700000000");
  EXPECT_EQ(k.queue(), "sg:{e:e1}:q");
  EXPECT_EQ(k.queue_seq(), "sg:{e:e1}:qseq");
  EXPECT_EQ(k.passes(), "sg:{e:e1}:passes");
  EXPECT_EQ(store::user_queues_key("al"), "sg:{u:al}:queues");
  EXPECT_EQ(store::user_gen_key("al"), "sg:{u:al}:qgen");
  EXPECT_STREQ(store::k_events_key, "sg:events");
  EXPECT_STREQ(store::k_rooms_key, "sg:rooms");
  EXPECT_STREQ(store::k_layout_key, "sg:schema");
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
