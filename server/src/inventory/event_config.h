// The body of PUT /v1/admin/events/{id}: an event's whole configuration.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "inventory/json_guard.h"

namespace seatgate::inventory {

// Validates and normalises the full config (defaults of docs/openapi.yaml
// filled in): name 1..200, currency ^[A-Z]{3}$, status, hold_ttl_s 10..86400
// (default 600), max_per_order 1..100 (default 10), max_per_user 1..10000
// (default 10), zones 1..100 with unique slug ids, name, capacity
// 0..10,000,000, price 0..10^12 integer, or a seated zone ("kind": "seated",
// inventory/seating/layout.h: rows instead of capacity); waiting_room {"enabled":bool,
// capacity 1..1e6 (default 500), admit_per_s 1..1e5 (50), pass_ttl_s
// 10..86400 (300), max_queues_per_user 1..100 (2)}. Returns the normalised
// JSON (what upsert_event.lua receives); every refusal is invalid_json or
// invalid_request naming the field.
parsed<nlohmann::json> parse_event_config(std::string_view body);

}  // namespace seatgate::inventory
