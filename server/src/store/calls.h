// One pure builder per Lua script: typed parameters in, the script with its
// KEYS and ARGV out, in the order of the script's header comment
// (lua/<script>.lua, docs/redis-schema.md). No Redis, no I/O: the server runs
// the call on its connection, the Lua tests with EVALSHA, both built here.
#pragma once

#include "seatgate/lua_scripts.h"

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::store {

struct script_call {
  lua::script script;
  std::vector<std::string> keys, args;
};

// A numeric script argument, sent as decimal text. Scripts check their
// arguments themselves, so text may also be sent as is: "" asks for the
// script's default where it has one, and the Lua tests send malformed values
// on purpose. No default: every number of a call is given.
class number {
 public:
  template <std::integral T>
  requires(!std::same_as<T, bool>) number(T n)
      : text_(std::to_string(n)) {}  // NOLINT: integers convert implicitly
  static number verbatim(std::string text) {
    number n;
    n.text_ = std::move(text);
    return n;
  }
  const std::string& text() const { return text_; }

 private:
  number() = default;
  std::string text_;
};

// The fixed keys of an event's inventory, the first KEYS of every script
// that may change a reservation's status: P ev, P r, P ix, P out and the
// three seat keys (docs/seating.md), whatever the zone.
inline constexpr std::size_t k_inventory_keys = 7;
class event_keys;
std::vector<std::string> inventory_keys(const event_keys& k);

struct reserve_seats_args {
  std::string_view event_id, rid, user, zone;
  number quantity;
  std::string_view idem_key, fingerprint, queue_pass;  // queue_pass "" = none
  number idem_ttl_s, expire_batch, per_minute;         // per_minute 0 = no cap
  // A seated zone (docs/seating.md): picked seat ids joined by ',' ("" =
  // none); best "" | "1" (best available) | "split" (split allowed).
  std::string_view seats = {}, best = {};
};
script_call reserve_seats(const reserve_seats_args& a);
// Requests of one event (the first's) in one call, processed in order; the
// reply holds one reply per request (lua/reserve_seats.lua). Not empty.
script_call reserve_seats_batch(const std::vector<reserve_seats_args>& batch);
// Adds one built call (`one`) to a batch that starts with another of the
// same script and event (`batch`): its per-request keys and arguments (the
// event's fixed keys come once). reserve_seats and confirm_reservation.
void append_request(script_call& batch, const script_call& one);

struct confirm_reservation_args {
  std::string_view event_id, rid, user, idem_key, payment_ref, fingerprint;
  number idem_ttl_s;
  std::optional<number> expire_batch;  // none: the argument is left out (script default)
};
script_call confirm_reservation(const confirm_reservation_args& a);
// Confirms of one event (the first's) in one call, processed in order; the
// reply holds one reply per request (lua/confirm_reservation.lua). In a
// batch every request carries expire_batch ("" when none). Not empty.
script_call confirm_reservation_batch(const std::vector<confirm_reservation_args>& batch);

script_call release_reservation(std::string_view event_id, std::string_view rid,
                                std::string_view user);
script_call read_reservation(std::string_view event_id, std::string_view rid,
                             std::string_view user);

struct list_reservations_args {
  std::string_view event_id, user;
  number expire_batch, limit, after_created_at;
  std::string_view after_rid;  // "" = the first page
};
script_call list_reservations(const list_reservations_args& a);

script_call expire_holds(std::string_view event_id, number batch);
// `layouts`: zone i's seat layout JSON when it is seated, else "" (one per
// zone of the config, in order; none for an event without seated zones).
script_call upsert_event(std::string_view event_id, std::string config_json,
                         std::vector<std::string> layouts = {});
script_call set_event_status(std::string_view event_id, std::string_view status);
script_call read_event(std::string_view event_id);
script_call read_audit(std::string_view event_id, number scan_limit);

// Data lifecycle (docs/operations.md "Data lifecycle"): the retention step
// (ages in ms; `confirmed_ms` "" = confirmed reservations are kept) and the
// first step of archiving.
script_call purge_ended(std::string_view event_id, number ended_ms, number confirmed_ms,
                        number batch);
script_call archive_event(std::string_view event_id);

// The waiting room's builders are in store/room_calls.h.

}  // namespace seatgate::store
