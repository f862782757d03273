// The body of POST /v1/reservations: the hot path's one JSON document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "inventory/json_guard.h"

namespace seatgate::inventory {

struct reserve_request {
  std::string event_id, zone_id;
  std::int64_t quantity = 0;
  // {"event_id":..,"quantity":..,"zone_id":..} as text: sorted keys, no
  // spaces (what nlohmann::json::dump() of the same object gives).
  std::string canonical;
};

// Body must be a JSON object with exactly known fields; quantity must be an
// integer (not float/string/bool) in 1..100 (the per-event max_per_order is
// enforced by the script) -> invalid_quantity (422); missing/wrong type ->
// invalid_request; not JSON -> invalid_json. Unknown fields -> invalid_request.
// The body every client sends is read by a SAX fast path (no DOM); anything
// else goes through the strict parser, which finds the exact problem.
parsed<reserve_request> parse_reserve(std::string_view body);

}  // namespace seatgate::inventory
