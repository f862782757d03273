// The strict run of the waiting-room Lua tests (SEATGATE_LUA_STRICT=1, the
// ctest lua.waiting_room.declared_keys; docs/waiting-room.md, "Every key
// declared"). Two real checks, by Redis itself:
// - the redis-server runs in cluster mode as one node owning every slot, and
//   the waiting-room scripts carry a `#!lua` shebang: Redis 7 refuses a
//   shebang script that touches a key of another slot than its KEYS;
// - each waiting-room script runs as an ACL user that may touch exactly the
//   call's KEYS: any other key, even in the same slot, is refused
//   (cluster mode alone does not see those).
#pragma once

#include <memory>
#include <string>

#include "redis_server.h"
#include "store/calls.h"

namespace seatgate::test {

bool strict_mode();  // SEATGATE_LUA_STRICT=1

// A redis-server in cluster mode owning slots 0..16383, ready (cluster_state:ok).
std::unique_ptr<redis_server> single_node_cluster();

// The scripts the strict run checks (the waiting room's: lua/CMakeLists.txt
// SEATGATE_ROOM_SCRIPTS).
bool is_room_script(lua::script s);

class key_guard {
 public:
  explicit key_guard(const redis_endpoint& server);
  // EVALSHA `sha` with the call's KEYS and ARGV, as a user whose key
  // patterns are exactly those KEYS.
  reply_ptr evalsha(const std::string& sha, const store::script_call& call);
  // EVAL of `script` with `keys`, under the same rule (for the tests that
  // show the guard refusing).
  reply_ptr eval(const std::string& script, const std::vector<std::string>& keys);

 private:
  reply_ptr run(std::vector<std::string> cmd, const std::vector<std::string>& keys,
                const std::vector<std::string>& args);
  std::unique_ptr<redis_link> admin_, guarded_;
};

}  // namespace seatgate::test
