// Assigned seating on Redis (docs/seating.md): a zone's layout and seat
// string written with the event's config, and the seat map read. Runs the
// seat scripts (lua/seat_layout.lua, lua/read_seat_map.lua) on the calling
// thread's connection; answers with domain values or an error, no HTTP.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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
};

// event_not_found, zone_not_found, zone_not_seated, or unavailable.
net::awaitable<result<seat_map>> read_seat_map(redis::connection& conn, const std::string& event_id,
                                               const std::string& zone_id);

// For every zone of a normalised config (inventory/event_config.h): writes a
// seated zone's layout, removes a general zone's seat state. `check` writes
// nothing and answers whether `write` would succeed: the first refusal is
// capacity_below_committed naming the held or sold seats a layout would
// remove or make unavailable. Each zone is its own atomic step.
net::awaitable<std::optional<error>> write_layouts(redis::connection& conn,
                                                   const std::string& event_id,
                                                   const nlohmann::json& config,
                                                   store::layout_mode mode);

}  // namespace seatgate::inventory::seating
