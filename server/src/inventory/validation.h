// Request validation for the inventory routes: pure functions from request
// text to values or a problem code. Nothing here touches Redis.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::inventory {

struct invalid {
  std::string code;    // docs/openapi.yaml code: invalid_json, invalid_request, invalid_quantity, ...
  std::string detail;  // readable message naming the field
};

template <class T>
struct parsed {
  std::optional<T> value;
  invalid error;  // meaningful when !value
};

// slug [a-z0-9][a-z0-9-]{0,63}
bool is_slug(std::string_view s);
// Reservation id: "<event slug>.<22 base64url chars>"; returns the event id.
std::optional<std::string> event_of_reservation_id(std::string_view rid);

// Idempotency-Key: 1..255 bytes of printable ASCII (0x21..0x7e and space
// inside). Returns "" when fine, else missing_idempotency_key /
// invalid_idempotency_key.
std::string check_idempotency_key(std::optional<std::string_view> key);

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
parsed<reserve_request> parse_reserve(std::string_view body);

struct confirm_request {
  std::optional<std::string> payment_ref;  // 1..255 printable ASCII
  nlohmann::json canonical;
};
// Empty body means {}.
parsed<confirm_request> parse_confirm(std::string_view body);

struct status_request {
  std::string status;
};  // on_sale | paused | closed
parsed<status_request> parse_status(std::string_view body);

// PUT /v1/admin/events/{id}: validates and normalises the full config
// (defaults of docs/openapi.yaml filled in): name 1..200, currency ^[A-Z]{3}$, status,
// hold_ttl_s 10..86400 (default 600), max_per_order 1..100 (default 10),
// max_per_user 1..10000 (default 10), zones 1..100 with unique slug ids,
// name, capacity 0..10,000,000, price 0..10^12 integer; waiting_room
// {"enabled":bool, capacity 1..1e6 (default 500), admit_per_s 1..1e5 (50),
// pass_ttl_s 10..86400 (300), max_queues_per_user 1..100 (2)}.
// Returns the normalised JSON (what upsert_event.lua receives).
parsed<nlohmann::json> parse_event_config(std::string_view body);

// GET /v1/users/me/reservations paging (docs/openapi.yaml): `limit` 1..100
// in decimal digits (absent: k_default_list_limit); `cursor` is what
// encode_cursor wrote for a reservation of `event_id` (absent or empty: the
// first page). Anything else -> invalid_request naming the parameter.
constexpr int k_default_list_limit = 50;
constexpr int k_max_list_limit = 100;
struct list_request {
  int limit = k_default_list_limit;
  std::int64_t after_created_at = 0;  // with after_id: the page starts after it
  std::string after_id;               // empty: the first page
};
parsed<list_request> parse_list_query(std::string_view event_id,
                                      std::optional<std::string_view> limit,
                                      std::optional<std::string_view> cursor);
// The opaque cursor of the page after reservation `rid` (created at
// `created_at_ms`): lowercase hex of "<created_at_ms>:<rid>".
std::string encode_cursor(std::int64_t created_at_ms, std::string_view rid);

// Fingerprint of a request for idempotency: SHA-256 hex of
// method + "\n" + path + "\n" + canonical_body.dump().
std::string fingerprint(std::string_view method, std::string_view path,
                        const nlohmann::json& canonical_body);
// The same, with the canonical body already as text (reserve_request::canonical).
std::string fingerprint(std::string_view method, std::string_view path,
                        const std::string& canonical_text);

}  // namespace seatgate::inventory
