// Every Redis key name seatgate uses, in one place (docs/redis-schema.md).
// The server, the call builders (store/calls.h) and the Lua tests name keys
// only through these, so they cannot drift apart. Pure: no Redis, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seatgate::store {

// Ids of all events, read by the hold sweeper. Not under an event's hash tag.
inline constexpr char k_events_key[] = "sg:events";
// Events whose waiting room is live (on, event not closed), read by the
// admission loop (docs/waiting-room.md). The waiting room's other keys are
// in store/room_keys.h.
inline constexpr char k_rooms_key[] = "sg:rooms";

// The prefix `P` of every key of one event: "sg:{e:<event>}:". The hash tag
// puts all of an event's keys in one Cluster slot.
std::string event_prefix(std::string_view event_id);

// The keys of one event, each `P` followed by the shape named beside it.
// The Lua scripts receive `P ev` as KEYS[1] and derive the others they do
// not receive from its prefix, in these same shapes. `queue`, `passes` and
// `pass` are the waiting room's (store/room_keys.h), read by the inventory
// scripts too.
class event_keys {
 public:
  explicit event_keys(std::string_view event_id) : p_(event_prefix(event_id)) {}

  const std::string& prefix() const { return p_; }

  std::string event() const { return p_ + "ev"; }       // P ev
  std::string counts() const { return p_ + "cnt"; }     // P cnt
  std::string holds() const { return p_ + "holds"; }    // P holds
  std::string queue() const { return p_ + "q"; }        // P q
  std::string passes() const { return p_ + "passes"; }  // P passes

  std::string zone(std::string_view zone_id) const;        // P z:<zone>
  std::string zone_holds(std::string_view zone_id) const;  // P zh:<zone>
  std::string reservation(std::string_view rid) const;     // P r:<rid>
  std::string user_used(std::string_view user) const;      // P u:<user>
  std::string user_holds(std::string_view user) const;     // P uh:<user>
  std::string user_history(std::string_view user) const;   // P ur:<user>
  std::string user_recent(std::string_view user) const;    // P rl:<user>
  std::string pass(std::string_view token) const;          // P pass:<token>
  // P idem:<byte length of user>:<user>:<key>: the length keeps a user id
  // that contains ':' from sharing a record with another (user, key) pair.
  std::string idempotency(std::string_view user, std::string_view key) const;

 private:
  std::string join(std::string_view kind, std::string_view id) const;
  std::string p_;
};

}  // namespace seatgate::store
