// The checks of the strict run (declared_keys.h) can fail: a script that
// touches a key it was not given is refused by the guard, and by a cluster
// node when the key is in another slot. Run in every run (the plain one
// starts a one-node cluster for the second).
#include "declared_keys.h"
#include "lua_fixture.h"
#include "redis/cluster/slot.h"

namespace seatgate::test {
namespace {

using DeclaredKeys = LuaTest;

std::string error_of(const reply_ptr& r) {
  return r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : std::string();
}

TEST_F(DeclaredKeys, TheGuardRefusesAKeyNotInKeysEvenInTheSameSlot) {
  key_guard guard(*server_);
  const std::string ev = prefix("e1") + "ev";
  // What the scripts did before: a key name built inside Lua from the prefix.
  auto built =
      guard.eval("return redis.call('GET', string.sub(KEYS[1], 1, -3) .. 'qp:alice')", {ev});
  EXPECT_NE(error_of(built).find("can't access"), std::string::npos) << error_of(built);
  auto declared = guard.eval("return redis.call('EXISTS', KEYS[1])", {ev});
  EXPECT_EQ(error_of(declared), "");
}

TEST_F(DeclaredKeys, AClusterNodeRefusesAShebangScriptTouchingAnotherSlot) {
  // A cluster node: the strict run's and the cluster run's; with a plain
  // redis-server (which checks no slots), a one-node cluster of the test's own.
  std::unique_ptr<redis_server> own;
  const redis_endpoint* node = server_;
  if (!strict_mode() && !server_->is_cluster()) {
    own = single_node_cluster();
    node = own.get();
  }
  const std::string mine = prefix("e1") + "ev";
  // Another event's key in another slot of the same node (on a cluster of
  // several masters a key of another node is refused with or without the
  // shebang: "non local key").
  std::string other;
  for (int i = 0; other.empty(); ++i) {
    const std::string k = prefix("other" + std::to_string(i)) + "ev";
    if (node->node_of(k) == node->node_of(mine) &&
        redis::cluster::key_slot(k) != redis::cluster::key_slot(mine))
      other = k;
  }
  auto link = node->link();
  const std::string script = "#!lua\nreturn redis.call('GET', '" + other + "')";
  auto r = link->command({"EVAL", script, "1", mine});
  EXPECT_NE(error_of(r).find("do not hash to the same slot"), std::string::npos) << error_of(r);
  // Without the shebang a cluster node lets it through: why the scripts carry one.
  auto legacy = link->command({"EVAL", script.substr(6), "1", mine});
  EXPECT_EQ(error_of(legacy), "");
}

TEST_F(DeclaredKeys, EveryWaitingRoomScriptCarriesAShebang) {
  for (const auto& s : lua::all_scripts()) {
    const auto kind = static_cast<lua::script>(&s - lua::all_scripts().data());
    if (!is_room_script(kind)) continue;
    EXPECT_TRUE(s.text.starts_with("#!lua")) << s.name;
    const bool read_only = kind == lua::script::queue_position || kind == lua::script::peek_queue;
    EXPECT_EQ(s.text.starts_with("#!lua flags=no-writes\n"), read_only) << s.name;
  }
}

}  // namespace
}  // namespace seatgate::test
