// A seated zone's layout in an event's config (docs/seating.md): rows of
// numbered seats, aisles, unavailable seats, categories and their prices.
// Pure: JSON in, a normalised zone or a refusal naming the field out.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "inventory/json_guard.h"

namespace seatgate::inventory::seating {

// Size limits of one seated zone (docs/seating.md, docs/operations.md). They
// bound every script's work on the zone: a seat map or a best-available
// search reads at most k_max_zone_seats seats.
inline constexpr std::int64_t k_max_rows = 200;
inline constexpr std::int64_t k_max_seats_per_row = 200;
inline constexpr std::int64_t k_max_zone_seats = 20'000;
inline constexpr std::size_t k_max_row_id_len = 8;  // [A-Za-z0-9]
inline constexpr std::size_t k_max_categories = 20;

// A zone of the config is seated when its "kind" is "seated"; "general" (the
// default) is the counted zone of capacity. Anything else is refused by
// parse_zone_kind.
enum class zone_kind { general, seated };
// The zone's kind, or "" + a refusal detail in `why`.
std::optional<zone_kind> parse_zone_kind(const nlohmann::json& zone, std::string_view where,
                                         std::string& why);

// Validates a seated zone (`where` = "zones[i]." names its fields) and
// returns it normalised:
//   {"id", "name", "kind": "seated", "capacity", "price",
//    "rows": [{"id", "seats", "aisles_after": [...]}],
//    "unavailable": [...], "categories": {...}, "category_prices": {...}}
// `capacity` is computed (seats less unavailable) and may not be given.
// Refusals (invalid_request): unknown fields, a row id not [A-Za-z0-9]{1,8}
// or given twice, seats outside 1..k_max_seats_per_row, an aisle outside
// 1..seats-1 or given twice, more than k_max_rows rows or k_max_zone_seats
// seats, a seat id that names no seat of the rows or is listed twice, a
// category not a slug, more than k_max_categories, a seat in two categories,
// a price for a category that does not exist.
parsed<nlohmann::json> parse_seated_zone(const nlohmann::json& zone, std::string_view where);

// The layout part of a normalised seated zone (rows, unavailable,
// categories, category_prices): what seat_layout.lua stores.
nlohmann::json layout_of(const nlohmann::json& seated_zone);

// "A-12" -> row "A", number 12; false for anything else.
bool split_seat_id(std::string_view id, std::string& row, std::int64_t& number);

}  // namespace seatgate::inventory::seating
