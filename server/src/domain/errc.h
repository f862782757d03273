// Every error the API answers with, as a value. Services, validation and the
// store speak `errc` (plus a detail); only http/ turns one into a status and a
// problem body (docs/openapi.yaml lists the codes and their meaning).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace seatgate {
// The server's own names, in an inline namespace: the SDK's public headers
// also declare `seatgate::error` and `seatgate::errc`, and a program that links
// both (the contract tests) must not get one definition for two layouts.
inline namespace server_errors {

enum class errc {
  // 400
  invalid_json = 1,
  invalid_request,
  missing_idempotency_key,
  invalid_idempotency_key,
  // 401, 403
  unauthorized,
  forbidden,
  queue_pass_required,
  queue_pass_invalid,
  // 404, 405, 408
  not_found,
  event_not_found,
  zone_not_found,
  reservation_not_found,
  method_not_allowed,
  request_timeout,
  // 409
  sold_out,
  user_limit_exceeded,
  event_not_on_sale,
  already_confirmed,
  reservation_released,
  capacity_below_committed,
  idempotency_key_in_use,
  queue_limit_exceeded,
  // 410, 413, 415, 422, 429, 431
  reservation_expired,
  payload_too_large,
  unsupported_media_type,
  invalid_quantity,
  idempotency_key_reused,
  rate_limited,
  headers_too_large,
  // 500, 503
  internal,
  unavailable,
  timeout,
  // Assigned seating (docs/seating.md): 409, 409, 422, 409
  zone_not_seated,
  seats_taken,
  invalid_seats,
  no_adjacent_seats,
  // Archiving an event (docs/operations.md "Archiving an event"): 409
  event_not_closed,
  holds_live,
  outbox_not_drained,
};

// The category of every API error: name() "seatgate", message() the code's title.
const std::error_category& api_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// The wire name of a code ("sold_out"), as in problem bodies and Lua replies.
std::string_view code_name(errc e) noexcept;
// A wire name back to its code; nullopt for a name that is not an API code.
std::optional<errc> errc_from_name(std::string_view name) noexcept;
// The short human title of a code ("Not enough seats available").
std::string_view title(errc e) noexcept;
// Every code, in declaration order (for tables, tests and docs).
std::span<const errc> all_errcs() noexcept;

// A failure a service or validator reports: the code plus what the client
// needs to act on it. `retryable` overrides the code's default; `retry_after`
// (seconds) is sent as Retry-After.
struct error {
  errc code = errc::internal;
  std::string detail;                   // empty = the title
  std::optional<bool> retryable;
  std::optional<unsigned> retry_after;
  // The seat ids the error names (docs/seating.md): the taken seats of
  // seats_taken, the unknown or repeated ones of invalid_seats, the held or
  // sold ones of capacity_below_committed. The problem body carries them.
  std::vector<std::string> seats;
};

}  // namespace server_errors
}  // namespace seatgate

template <>
struct std::is_error_code_enum<seatgate::errc> : std::true_type {};
