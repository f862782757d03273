// Request validation for the inventory routes: pure functions from request
// text to values or an errc (with a detail naming the field). Nothing here
// touches Redis or HTTP. The syntax rules shared with the SDK live in
// <seatgate/rules.h> (docs/request-rules.md); the body parsers are in
// reserve_body.h and event_config.h, the strict JSON in json_guard.h.
#pragma once

#include <seatgate/rules.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/errc.h"
#include "inventory/json_guard.h"

namespace seatgate::inventory {

// slug [a-z0-9][a-z0-9-]{0,63}
using rules::is_slug;
// Reservation id: "<event slug>.<22 base64url chars>"; returns the event id.
std::optional<std::string> event_of_reservation_id(std::string_view rid);

// Idempotency-Key (rules::is_idempotency_key): nullopt when fine, else
// missing_idempotency_key (absent) or invalid_idempotency_key.
std::optional<seatgate::error> check_idempotency_key(std::optional<std::string_view> key);

// Queue-Pass (rules::is_queue_pass; empty means no pass): nullopt when fine,
// else queue_pass_invalid.
std::optional<seatgate::error> check_queue_pass(std::string_view pass);

struct confirm_request {
  std::optional<std::string> payment_ref;  // rules::is_payment_ref
  nlohmann::json canonical;
};
// Empty body means {}.
parsed<confirm_request> parse_confirm(std::string_view body);

struct status_request {
  std::string status;
};  // on_sale | paused | closed
parsed<status_request> parse_status(std::string_view body);

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

}  // namespace seatgate::inventory
