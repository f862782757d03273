// The embedded table and Redis's script cache.
#include "lua_fixture.h"

namespace seatgate::test {
namespace {

using ScriptCache = LuaTest;

TEST_F(ScriptCache, EnumOrderMatchesTheEmbeddedList) {
  const char* names[] = {"reserve_seats",    "confirm_reservation", "release_reservation",
                         "read_reservation", "list_reservations",   "expire_holds",
                         "upsert_event",     "set_event_status",    "read_event",
                         "read_audit",       "join_queue",          "queue_position",
                         "leave_queue",      "admit_queue",         "delete_pass",
                         "claim_queue_slot", "release_queue_slot",  "peek_queue",
                         "read_seat_map",    "purge_ended",         "archive_event"};
  auto all = lua::all_scripts();
  ASSERT_EQ(all.size(), std::size(names));
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].name, names[i]);
    EXPECT_EQ(lua::source(static_cast<lua::script>(i)).name, names[i]);
    EXPECT_NE(all[i].text.find("local P = "), std::string_view::npos) << "prelude missing";
  }
}

TEST_F(ScriptCache, FlushMeansNoscriptUntilLoadedAgain) {
  make_event("e1");
  c->command({"SCRIPT", "FLUSH"});
  auto r = c->evalsha(lua::script::read_event, {prefix("e1") + "ev"}, {});
  ASSERT_EQ(r->type, REDIS_REPLY_ERROR);
  EXPECT_EQ(std::string(r->str, r->len).rfind("NOSCRIPT", 0), 0u) << r->str;
  // Hence the server loads every script again on NOSCRIPT and retries once.
  c->load_all();
  EXPECT_TRUE(c->read_event("e1").ok);
}

}  // namespace
}  // namespace seatgate::test
