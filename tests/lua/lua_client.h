// Test-side caller of the embedded Lua scripts: SCRIPT LOAD of the exact text
// the server sends, EVALSHA of the calls the server's own builders make
// (server/src/store/calls.h, so the keys cannot drift), and the reply parsed
// into a value. Arguments are text, sent as given, so a test can send what
// the server never would.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "declared_keys.h"
#include "redis_server.h"
#include "seatgate/lua_scripts.h"
#include "store/calls.h"

namespace seatgate::test {

using fields = std::map<std::string, std::string>;

struct script_reply {
  bool ok = false;
  std::string code;  // error code when !ok
  long long retry_after_s = 0;
  long long replayed = 0;    // hot-path scripts
  fields reservation;        // hot-path scripts
  fields fresh_reply;        // reserve_seats, new hold: the pairs as the script sent them
  std::vector<fields> list;  // list_reservations
  long long n = 0;           // expire_holds, list_reservations
  long long more = 0;        // list_reservations: 1 when another page follows
  std::string text;          // admin scripts: the second element
  std::string seats;         // a refusal that names seats: their ids joined by ','
  nlohmann::json json() const { return nlohmann::json::parse(text); }
};

std::string prefix(const std::string& event);  // store::event_prefix: "sg:{e:<event>}:"

// The idempotency record's TTL the tests send (the server's is the same).
inline constexpr int k_idem_ttl_s = 86400;

struct event_config {
  struct zone {
    std::string id;
    long long capacity;
    long long price = 4500;
    std::string name = "Zone";
    // A seated zone's layout as the server stores it (rows, unavailable,
    // categories, category_prices; docs/seating.md); null = general.
    // `capacity` must then be its seats less the unavailable.
    nlohmann::json layout = nullptr;
  };
  std::vector<zone> zones = {{"floor", 10}};
  std::string name = "Summer Arena";
  std::string status = "on_sale";
  long long hold_ttl_s = 600, max_per_order = 10, max_per_user = 10;
  nlohmann::json waiting_room = {{"enabled", false}};
  std::string to_json() const;
};

class lua_client {
 public:
  // Its own link to `server` (one redis-server or a cluster: test_redis.h),
  // every script loaded.
  explicit lua_client(const redis_endpoint& server);
  // From now on, the waiting-room scripts run under the guard (declared_keys.h).
  void guard_room_scripts(std::unique_ptr<key_guard> guard) { guard_ = std::move(guard); }
  // From now on, every script runs under the guard (the seat tests' check
  // that the inventory scripts touch only their KEYS).
  void guard_every_script(std::unique_ptr<key_guard> guard) {
    guard_ = std::move(guard);
    guard_all_ = true;
  }

  void load_all();
  reply_ptr evalsha(lua::script s, const std::vector<std::string>& keys,
                    const std::vector<std::string>& argv);
  reply_ptr evalsha(const store::script_call& call);
  script_reply run(const store::script_call& call);  // evalsha + parse_reply
  reply_ptr command(const std::vector<std::string>& argv);
  std::string hget(const std::string& key, const std::string& field);
  long long now_ms();

  script_reply upsert(const std::string& ev, const event_config& cfg);
  script_reply upsert_raw(const std::string& ev, const std::string& json);
  script_reply reserve(const std::string& ev, const std::string& rid, const std::string& user,
                       const std::string& zone, const std::string& quantity,
                       const std::string& idem_key, const std::string& fp,
                       const std::string& queue_pass = "", const std::string& batch = "64",
                       const std::string& per_minute = "0", const std::string& seats = "",
                       const std::string& best = "");
  script_reply confirm(const std::string& ev, const std::string& rid, const std::string& user,
                       const std::string& idem_key, const std::string& fp,
                       const std::string& payment_ref = "");
  script_reply release(const std::string& ev, const std::string& rid, const std::string& user);
  script_reply read(const std::string& ev, const std::string& rid, const std::string& user);
  // A page of at most `limit` after reservation `after_rid` (created at
  // `after_at`); "" = the script's defaults (50, the first page).
  script_reply list(const std::string& ev, const std::string& user, const std::string& batch = "64",
                    const std::string& limit = "", const std::string& after_at = "",
                    const std::string& after_rid = "");
  script_reply expire(const std::string& ev, const std::string& batch = "100");
  script_reply set_status(const std::string& ev, const std::string& status);
  script_reply read_event(const std::string& ev);
  script_reply audit(const std::string& ev, const std::string& scan_limit = "");

  // Makes a held reservation due now: expires_at moved into the past in both
  // its record and its index members.
  void make_due(const std::string& ev, const std::string& rid, long long ms_ago = 1000);

 private:
  const redis_endpoint& server_;
  std::unique_ptr<redis_link> link_;
  std::vector<std::string> shas_;
  std::unique_ptr<key_guard> guard_;
  bool guard_all_ = false;
};

// Parses a script reply by the shape of the script that produced it.
script_reply parse_reply(lua::script s, const redisReply* r);

}  // namespace seatgate::test
