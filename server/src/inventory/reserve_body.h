// The body of POST /v1/reservations: the hot path's one JSON document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inventory/json_guard.h"

namespace seatgate::inventory {

struct reserve_request {
  std::string event_id, zone_id;
  std::int64_t quantity = 0;
  // A seated zone (docs/seating.md): picked seat ids (quantity is their
  // number), or best available (allow_split: seats from several blocks when
  // no block of `quantity` adjacent seats is free). Empty/false: general
  // admission, or best available on a seated zone.
  std::vector<std::string> seats;
  bool best_available = false, allow_split = false;
  // The request as text with sorted keys and no spaces (what
  // nlohmann::json::dump() of the same object gives): {"event_id":..,
  // "quantity":..,"zone_id":..}, plus "allow_split":true,
  // "best_available":true and "seats":[...] when given: the fingerprint of
  // an Idempotency-Key covers the seats.
  std::string canonical;
  // The script's `seats` and `best` arguments (store::reserve_seats_args).
  std::string seats_arg() const;
  std::string_view best_arg() const;
};

// Body must be a JSON object with exactly known fields; quantity must be an
// integer (not float/string/bool) in 1..100 (the per-event max_per_order is
// enforced by the script) -> invalid_quantity (422); missing/wrong type ->
// invalid_request; not JSON -> invalid_json. Unknown fields -> invalid_request.
// `seats`: an array of 1..100 strings (of at most 16 bytes; whether they
// name seats is the script's to say: invalid_seats), instead of `quantity`
// or with a quantity equal to their number (else invalid_quantity);
// `best_available`, `allow_split`: booleans, not with `seats`.
// The body every client sends is read by a SAX fast path (no DOM); anything
// else goes through the strict parser, which finds the exact problem.
parsed<reserve_request> parse_reserve(std::string_view body);

}  // namespace seatgate::inventory
