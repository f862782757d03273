// The key names of assigned seating (docs/seating.md, docs/redis-schema.md),
// beside store/keys.h: each is the event's prefix `P` followed by the shape
// named beside it. Every seat script receives all of them in KEYS.
#pragma once

#include <string>
#include <string_view>

#include "store/keys.h"

namespace seatgate::store {

// P layout:<zone>: the zone's normalised layout JSON (rows, unavailable,
// categories, category_prices).
std::string seat_layout_key(const event_keys& k, std::string_view zone_id);
// P seats:<zone>: one state letter per seat, row-major (lua/lib/seats.lua).
std::string seat_state_key(const event_keys& k, std::string_view zone_id);
// P seat_holders:<zone>: hash seat id -> reservation id of its held or sold seats.
std::string seat_holders_key(const event_keys& k, std::string_view zone_id);

}  // namespace seatgate::store
