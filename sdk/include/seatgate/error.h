// Errors and results as values. Nothing in the SDK throws across its API:
// every call returns a result<T> holding either a T or an error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seatgate {

// Error codes: every code an SDK call can report. The server's codes
// (docs/openapi.yaml, Problem.code) pass through unchanged ("sold_out",
// "idempotency_key_reused", ...); the first ones are the SDK's own. C has the
// same set as SEATGATE_CODE_*, JavaScript as ErrorCodes (tests/e2e/
// error_codes.test.mjs keeps the three and the OpenAPI enum in step).
namespace errc {
inline constexpr const char* network = "network";  // connect/send/read failed
inline constexpr const char* timeout = "timeout";  // no response in time
inline constexpr const char* tls = "tls";  // certificate refused (untrusted, expired, wrong host)
inline constexpr const char* cancelled = "cancelled";  // the caller cancelled
inline constexpr const char* deadline_exceeded = "deadline_exceeded";
inline constexpr const char* retry_budget_exhausted = "retry_budget_exhausted";
inline constexpr const char* invalid_response = "invalid_response";  // unparseable reply
// An error status without a problem code: 502, 504, any other status
// (429, 500 and 503 get the server's rate_limited, internal, unavailable).
inline constexpr const char* http_error = "http_error";
inline constexpr const char* bad_gateway = "bad_gateway";  // 502 without a problem code
inline constexpr const char* gateway_timeout = "gateway_timeout";  // 504 without a problem code
inline constexpr const char* invalid_state = "invalid_state";  // a closed client, or a step out of turn
// Validation before the network (see validation.h for the rules).
inline constexpr const char* validation_event_id = "validation_event_id";
inline constexpr const char* validation_zone_id = "validation_zone_id";
inline constexpr const char* validation_unknown_zone = "validation_unknown_zone";
inline constexpr const char* validation_reservation_id = "validation_reservation_id";
inline constexpr const char* validation_quantity = "validation_quantity";
inline constexpr const char* validation_above_max_per_order = "validation_above_max_per_order";
inline constexpr const char* validation_above_availability = "validation_above_availability";
inline constexpr const char* validation_above_user_allowance = "validation_above_user_allowance";
inline constexpr const char* validation_idempotency_key = "validation_idempotency_key";
inline constexpr const char* validation_payment_ref = "validation_payment_ref";
inline constexpr const char* validation_queue_pass = "validation_queue_pass";
// Assigned seating (validate_seats in validation.h).
inline constexpr const char* validation_unknown_seat = "validation_unknown_seat";
inline constexpr const char* validation_duplicate_seat = "validation_duplicate_seat";
inline constexpr const char* validation_seat_taken = "validation_seat_taken";
inline constexpr const char* validation_seat_selection = "validation_seat_selection";
// The server's codes (docs/openapi.yaml, Problem.code) an app branches on.
inline constexpr const char* sold_out = "sold_out";
inline constexpr const char* user_limit_exceeded = "user_limit_exceeded";
inline constexpr const char* event_not_on_sale = "event_not_on_sale";
inline constexpr const char* event_not_found = "event_not_found";
inline constexpr const char* zone_not_found = "zone_not_found";
inline constexpr const char* reservation_not_found = "reservation_not_found";
inline constexpr const char* reservation_expired = "reservation_expired";
inline constexpr const char* reservation_released = "reservation_released";
inline constexpr const char* already_confirmed = "already_confirmed";
inline constexpr const char* queue_pass_required = "queue_pass_required";
inline constexpr const char* queue_pass_invalid = "queue_pass_invalid";
inline constexpr const char* queue_limit_exceeded = "queue_limit_exceeded";
inline constexpr const char* idempotency_key_in_use = "idempotency_key_in_use";
inline constexpr const char* idempotency_key_reused = "idempotency_key_reused";
inline constexpr const char* invalid_quantity = "invalid_quantity";
inline constexpr const char* invalid_request = "invalid_request";
inline constexpr const char* unauthorized = "unauthorized";
inline constexpr const char* forbidden = "forbidden";
inline constexpr const char* rate_limited = "rate_limited";
inline constexpr const char* unavailable = "unavailable";
// Assigned seating (docs/seating.md).
inline constexpr const char* seats_taken = "seats_taken";
inline constexpr const char* invalid_seats = "invalid_seats";
inline constexpr const char* no_adjacent_seats = "no_adjacent_seats";
inline constexpr const char* zone_not_seated = "zone_not_seated";
// The server's other codes: malformed or refused requests, and the archive
// route (docs/operations.md).
inline constexpr const char* invalid_json = "invalid_json";
inline constexpr const char* missing_idempotency_key = "missing_idempotency_key";
inline constexpr const char* invalid_idempotency_key = "invalid_idempotency_key";
inline constexpr const char* not_found = "not_found";
inline constexpr const char* method_not_allowed = "method_not_allowed";
inline constexpr const char* request_timeout = "request_timeout";
inline constexpr const char* capacity_below_committed = "capacity_below_committed";
inline constexpr const char* payload_too_large = "payload_too_large";
inline constexpr const char* headers_too_large = "headers_too_large";
inline constexpr const char* unsupported_media_type = "unsupported_media_type";
inline constexpr const char* internal = "internal";
inline constexpr const char* event_not_closed = "event_not_closed";
inline constexpr const char* holds_live = "holds_live";
inline constexpr const char* outbox_not_drained = "outbox_not_drained";
}  // namespace errc

struct error {
  std::string code;               // an errc:: value or a server code
  int http_status = 0;            // 0 when no HTTP response was involved
  bool retryable = false;         // as classified by docs/sdk.md (for the last attempt)
  std::string message;            // a sentence a person can read
  int attempts = 0;               // requests sent for this operation (0: validation)
  std::string cause;              // for deadline/budget/cancelled: the last failure's code
  std::string request_id;         // X-Request-Id of the last response, if any
  long long retry_after_ms = -1;  // Retry-After of the last response, -1 if none
  // queue_pass_invalid: when the refused pass expired (RFC 3339), as the
  // problem or else the waiting room's "admitted" answer reported it; "" if unknown.
  std::string pass_expires_at;
  // seats_taken: the seat ids the server named as taken ("taken" in the
  // problem); validation_seat_taken: the picked seats the last seat map
  // shows taken. Empty otherwise.
  std::vector<std::string> taken;
};

// Either a value or an error. value() requires ok().
template <class T>
class result {
 public:
  result(T value) : value_(std::move(value)) {}        // NOLINT: implicit by design
  result(seatgate::error e) : error_(std::move(e)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  const seatgate::error& error() const { return error_; }

 private:
  std::optional<T> value_;
  seatgate::error error_;
};

}  // namespace seatgate
