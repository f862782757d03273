// The domain as the client sees it (docs/architecture.md; shapes in docs/openapi.yaml), with JSON
// conversion. Parsing never throws: malformed input gives an error with code
// "invalid_response".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "seatgate/error.h"

namespace seatgate {

struct zone {
  std::string id;
  std::string name;
  std::int64_t capacity = 0;
  std::int64_t price = 0;                 // minor units
  std::optional<std::int64_t> available;  // live, from GET /v1/events/{id}
  std::string kind = "general";           // general | seated (get_seat_map draws a seated one)
};

struct waiting_room {
  bool enabled = false;
  std::int64_t capacity = 0;
  std::int64_t admit_per_s = 0;
  std::int64_t pass_ttl_s = 0;
  std::int64_t max_queues_per_user = 0;
};

struct event {
  std::string id;
  std::string name;
  std::string currency;
  std::string status;  // on_sale | paused | closed
  std::int64_t hold_ttl_s = 600;
  std::int64_t max_per_order = 10;
  std::int64_t max_per_user = 10;
  std::vector<zone> zones;
  waiting_room room;

  const zone* find_zone(std::string_view zone_id) const;
};

struct reservation {
  std::string id;
  std::string event_id;
  std::string zone_id;
  std::string user_id;
  std::int64_t quantity = 0;
  std::int64_t amount = 0;
  std::string currency;
  std::string status;  // held | confirmed | released | expired
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> confirmed_at;
  std::optional<std::string> payment_ref;
  bool replayed = false;           // answered from the idempotency record
  std::vector<std::string> seats;  // a seated zone's hold: its seat ids ("A-12"); else empty
};

// A waiting-room answer (docs/waiting-room.md). status is one of
//   "waiting"      position (1 = next) and poll_after_ms are set
//   "admitted"     queue_pass and pass_expires_at are set
//   "not_required" the event's waiting room is off: reserve needs no pass
//   "not_joined"   (queue_status only) the user is not in this room
//   "left"         (leave_queue only)
struct queue_state {
  std::string status;
  std::int64_t position = 0;
  std::int64_t poll_after_ms = 0;
  std::string queue_pass;
  std::string pass_expires_at;
};

// Inputs of operations.
struct reserve_request {
  std::string event_id;
  std::string zone_id;
  std::int64_t quantity = 1;
  // Empty: the SDK generates a UUID v4. A caller's key may resume an earlier
  // attempt, so the snapshot checks (availability, allowance, max_per_order,
  // zone) are left to the server, which replays the stored reservation.
  std::string idempotency_key;
  std::string queue_pass;  // empty: the pass from the last queue_status, if any
  // How long this call may wait, in all, for seats to be released after a
  // retryable 409 sold_out: < 0 = as the retry policy allows (default, about
  // 4 s with the default policy); 0 = fail at the first sold_out; > 0 = stop
  // retrying sold_out once the next wait would pass that many milliseconds.
  std::int64_t sold_out_wait_ms = -1;
  // Assigned seating (docs/seating.md); a general zone leaves these empty.
  // seats: hold exactly these seats, all or nothing (quantity is ignored:
  // it is the number of seats). best_available: the server picks `quantity`
  // adjacent seats; allow_split lets it split them when no row has a block.
  // A retryable seats_taken (one of the seats is held, not sold) waits like
  // sold_out, bounded by sold_out_wait_ms.
  std::vector<std::string> seats;
  bool best_available = false;
  bool allow_split = false;
};

struct confirm_request {
  std::string reservation_id;
  std::optional<std::string> payment_ref;
  std::string idempotency_key;  // empty: the SDK generates a UUID v4
};

// --- Assigned seating: the seat map (GET /v1/events/{id}/zones/{zone}/seats) ---

struct seat_row {
  std::string id;  // "A"
  std::int64_t seats = 0;
  std::vector<std::int64_t> aisles_after;  // an aisle after these seat numbers
  std::string
      states;  // one letter per seat, seat 1 first: a available, h held, s sold, u unavailable
};

struct seat_map {
  std::string event_id;
  std::string zone_id;
  std::int64_t available = 0;
  std::vector<seat_row> rows;  // front row first
  std::vector<std::string> unavailable;
  std::vector<std::pair<std::string, std::vector<std::string>>> categories;
  std::vector<std::pair<std::string, std::int64_t>> category_prices;
  std::string etag;           // the answer's ETag; sent back as If-None-Match
  bool not_modified = false;  // this fetch was answered 304: the client's copy is current

  // A seat's state letter ('a', 'h', 's', 'u'), or 0 when the map has no such seat.
  char state_of(std::string_view seat_id) const;
};

result<seat_map> parse_seat_map(std::string_view json);
std::string to_json(const seat_map& m);

// JSON (the server's shapes). Parsing checks types; unknown fields are ignored.
result<event> parse_event(std::string_view json);
result<reservation> parse_reservation(std::string_view json);
// Accepts a JSON array or an object with a "reservations" array.
result<std::vector<reservation>> parse_reservation_list(std::string_view json);
// A list answer is one page of the user's reservations: the cursor of the
// next page (its "next_cursor"), or nullopt on the last page (null or absent).
std::optional<std::string> parse_next_cursor(std::string_view json);
result<queue_state> parse_queue_state(std::string_view json);
// Applies an `availability` message of the live stream (docs/openapi.yaml,
// GET /v1/events/{id}/stream: {"event_id","status","zones":[{"id","available"}]})
// to the event: its status and the zones that moved. False, changing
// nothing, when the message is not of this event or does not parse.
bool apply_availability_change(event& ev, std::string_view json);

std::string to_json(const event& e);
std::string to_json(const reservation& r);
std::string to_json(const std::vector<reservation>& list);
std::string to_json(const queue_state& q);
std::string to_json(const error& e);

}  // namespace seatgate
