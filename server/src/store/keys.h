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
// The key layout the data follows (store/layout.h): `k_layout_version`.
inline constexpr char k_layout_key[] = "sg:schema";
inline constexpr char k_layout_version[] = "3";

// The prefix `P` of every key of one event: "sg:{e:<event>}:". The hash tag
// puts all of an event's keys in one Cluster slot.
std::string event_prefix(std::string_view event_id);

// The keys of one event, each `P` followed by the shape named beside it.
// Every script receives every key it touches in KEYS, built here. `queue`,
// `passes` and `pass` are the waiting room's (store/room_keys.h has the
// rest of its keys), read by the inventory scripts too.
class event_keys {
 public:
  explicit event_keys(std::string_view event_id) : p_(event_prefix(event_id)) {}

  const std::string& prefix() const { return p_; }

  // Inventory: four fixed keys per event (docs/redis-schema.md).
  std::string event() const { return p_ + "ev"; }        // P ev: config, zone, user counters
  std::string reservations() const { return p_ + "r"; }  // P r: every reservation by id
  std::string index() const { return p_ + "ix"; }        // P ix: expiry orders, history
  std::string outbox() const { return p_ + "out"; }      // P out: status changes (stream)
  // Assigned seating (docs/seating.md): three fixed keys per event, in the
  // KEYS of every inventory script whatever the zone.
  std::string seats() const { return p_ + "seats"; }      // P seats: every seated zone's letters
  std::string seat_holders() const { return p_ + "sh"; }  // P sh: <zone>/<seat> -> reservation
  std::string seat_layouts() const { return p_ + "sl"; }  // P sl: <zone> -> layout, <zone>:base

  std::string queue() const { return p_ + "q"; }         // P q
  std::string passes() const { return p_ + "passes"; }   // P passes

  std::string user_recent(std::string_view user) const;   // P rl:<user>
  std::string pass(std::string_view token) const;         // P pass:<token>
  // P idem:<byte length of user>:<user>:<key>: the length keeps a user id
  // that contains ':' from sharing a record with another (user, key) pair.
  std::string idempotency(std::string_view user, std::string_view key) const;

 private:
  std::string join(std::string_view kind, std::string_view id) const;
  std::string p_;
};

}  // namespace seatgate::store
