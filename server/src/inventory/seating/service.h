// Assigned seating on Redis (docs/seating.md): the seat map read (lua/
// read_seat_map.lua) on the calling thread's connection, and the layouts
// upsert_event writes with the event's config. Answers with domain values or
// an error, no HTTP.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/result.h"
#include "redis/connection.h"
#include "store/seat_calls.h"

namespace seatgate::inventory::seating {

namespace net = boost::asio;

// A seated zone's layout as stored (the normalised JSON of layout_of) and its
// seat string: one letter per seat, row-major ('a' available, 'h' held, 's'
// sold, 'u' unavailable).
struct seat_map {
  nlohmann::json layout;
  std::string states;
  std::int64_t version = 0;  // the zone's seat version (moves with every seat change)
};

// event_not_found, zone_not_found, zone_not_seated, or unavailable.
net::awaitable<result<seat_map>> read_seat_map(redis::connection& conn, const std::string& event_id,
                                               const std::string& zone_id);

// upsert_event's layout arguments for a normalised config (inventory/
// event_config.h): zone i's layout JSON (layout_of) when it is seated, else
// ""; none at all for an event without seated zones.
std::vector<std::string> layouts_of(const nlohmann::json& config);

}  // namespace seatgate::inventory::seating
