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

TEST(Keys, EveryKeyTheScriptsDeriveHasAName) {
  const store::room_keys k("e");
  const std::string& p = k.prefix();
  auto kind = [&](const std::string& key) { return key.substr(p.size()); };
  const std::set<std::string> named = {
      kind(k.event()),
      kind(k.counts()),
      kind(k.holds()),
      kind(k.queue()),
      kind(k.queue_seq()),
      kind(k.passes()),
      kind(k.zone("")),
      kind(k.zone_holds("")),
      kind(k.reservation("")),
      kind(k.user_used("")),
      kind(k.user_holds("")),
      kind(k.user_history("")),
      kind(k.user_recent("")),
      kind(k.user_pass("")),
      kind(k.user_revoked("")),
      kind(k.pass("")),
      kind(k.admits()),
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
  EXPECT_GE(seen.size(), 10u) << "the pattern no longer finds the scripts' derived keys";
}

TEST(Keys, ShapesOfTheEventsKeys) {
  const event_keys k("e1");
  EXPECT_EQ(k.zone("floor"), "sg:{e:e1}:z:floor");
  EXPECT_EQ(k.zone_holds("floor"), "sg:{e:e1}:zh:floor");
  EXPECT_EQ(k.reservation("e1.x"), "sg:{e:e1}:r:e1.x");
  EXPECT_EQ(k.user_used("al"), "sg:{e:e1}:u:al");
  EXPECT_EQ(k.user_holds("al"), "sg:{e:e1}:uh:al");
  EXPECT_EQ(k.user_history("al"), "sg:{e:e1}:ur:al");
  EXPECT_EQ(k.user_recent("al"), "sg:{e:e1}:rl:al");
  EXPECT_EQ(k.pass("t"), "sg:{e:e1}:pass:t");
  EXPECT_EQ(k.counts(), "sg:{e:e1}:cnt");
  EXPECT_EQ(k.holds(), "sg:{e:e1}:holds");
  EXPECT_EQ(k.queue(), "sg:{e:e1}:q");
  EXPECT_EQ(k.passes(), "sg:{e:e1}:passes");
  EXPECT_STREQ(store::k_events_key, "sg:events");
  EXPECT_STREQ(store::k_rooms_key, "sg:rooms");
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
