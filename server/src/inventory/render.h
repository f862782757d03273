// Pure mapping of script replies (docs/redis-schema.md) to API values.
#pragma once

#include "http/problem.h"
#include "redis/reply.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace seatgate::inventory {

// A script's answer: an OK reply (with its payload elements) or a problem.
struct script_ok {
  const redis::reply* reply;  // the whole array; payload starts at index 1
};
using script_answer = std::variant<script_ok, http::problem>;

// Interprets {"OK", ...} / {"ERR", code, retry_after} and Redis-level
// failures (error replies, wrong shapes) -> `unavailable` / `internal`.
script_answer interpret(const redis::reply& r);

// Flat field/value pairs starting at `first` -> reservation JSON (docs/openapi.yaml),
// times as RFC 3339, absent values null.
nlohmann::json render_reservation(const redis::reply& r, std::size_t first);

// What the server sent reserve_seats: a new hold's reply carries only what
// the server cannot know (created_at, expires_at, amount, currency), and
// these fill in the rest (status "held", confirmed_at and payment_ref null).
struct known_reservation {
  std::string_view id, event_id, zone_id, user_id;
  std::int64_t quantity = 0;
};

// The same reservation JSON as render_reservation(r, first).dump() (keys in
// sorted order, same escapes), written straight into a string. With `known`,
// fields the reply lacks are taken from it; fields in the reply win.
std::string reservation_json(const redis::reply& r, std::size_t first,
                             const known_reservation* known = nullptr);

}  // namespace seatgate::inventory
