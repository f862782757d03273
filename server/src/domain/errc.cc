#include "domain/errc.h"

#include <algorithm>
#include <array>

namespace seatgate {
inline namespace server_errors {
namespace {

struct row {
  errc code;
  std::string_view name;
  std::string_view title;
};

constexpr std::array k_rows{
    row{errc::invalid_json, "invalid_json", "Request body is not valid JSON"},
    row{errc::invalid_request, "invalid_request", "Invalid request"},
    row{errc::missing_idempotency_key, "missing_idempotency_key", "Idempotency-Key header is required"},
    row{errc::invalid_idempotency_key, "invalid_idempotency_key", "Idempotency-Key header is invalid"},
    row{errc::unauthorized, "unauthorized", "Authentication required"},
    row{errc::forbidden, "forbidden", "Forbidden"},
    row{errc::queue_pass_required, "queue_pass_required", "A queue pass is required"},
    row{errc::queue_pass_invalid, "queue_pass_invalid", "Queue pass is invalid or expired"},
    row{errc::not_found, "not_found", "Not found"},
    row{errc::event_not_found, "event_not_found", "Event not found"},
    row{errc::zone_not_found, "zone_not_found", "Zone not found"},
    row{errc::reservation_not_found, "reservation_not_found", "Reservation not found"},
    row{errc::method_not_allowed, "method_not_allowed", "Method not allowed"},
    row{errc::request_timeout, "request_timeout", "Request was not received in time"},
    row{errc::sold_out, "sold_out", "Not enough seats available"},
    row{errc::user_limit_exceeded, "user_limit_exceeded", "Ticket limit per user reached"},
    row{errc::event_not_on_sale, "event_not_on_sale", "Event is not on sale"},
    row{errc::already_confirmed, "already_confirmed", "Reservation is already confirmed"},
    row{errc::reservation_released, "reservation_released", "Reservation was released"},
    row{errc::capacity_below_committed, "capacity_below_committed", "Capacity below held and sold seats"},
    row{errc::idempotency_key_in_use, "idempotency_key_in_use", "A request with this Idempotency-Key is in progress"},
    row{errc::queue_limit_exceeded, "queue_limit_exceeded", "Too many waiting rooms joined"},
    row{errc::reservation_expired, "reservation_expired", "Reservation has expired"},
    row{errc::payload_too_large, "payload_too_large", "Request body is too large"},
    row{errc::unsupported_media_type, "unsupported_media_type", "Content-Type must be application/json"},
    row{errc::invalid_quantity, "invalid_quantity", "Invalid quantity"},
    row{errc::idempotency_key_reused, "idempotency_key_reused", "Idempotency-Key was used for a different request"},
    row{errc::rate_limited, "rate_limited", "Too many requests"},
    row{errc::headers_too_large, "headers_too_large", "Request headers are too large"},
    row{errc::internal, "internal", "Internal server error"},
    row{errc::unavailable, "unavailable", "Service temporarily unavailable"},
    row{errc::timeout, "timeout", "Request timed out"},
    // Assigned seating (docs/seating.md).
    row{errc::zone_not_seated, "zone_not_seated", "Zone has no seats: it is general admission"},
    row{errc::seats_taken, "seats_taken", "Some of the seats are taken"},
    row{errc::invalid_seats, "invalid_seats", "Unknown or repeated seat ids"},
    row{errc::no_adjacent_seats, "no_adjacent_seats", "No block of adjacent seats is available"},
    // Archiving an event (docs/operations.md "Archiving an event").
    row{errc::event_not_closed, "event_not_closed", "Event must be closed first"},
    row{errc::holds_live, "holds_live", "Event still has live holds"},
    row{errc::outbox_not_drained, "outbox_not_drained", "Event's outbox is not fully delivered yet"},
};

constexpr std::array<errc, k_rows.size()> k_all = [] {
  std::array<errc, k_rows.size()> out{};
  for (std::size_t i = 0; i < k_rows.size(); ++i) out[i] = k_rows[i].code;
  return out;
}();

const row* find(errc e) noexcept {
  const auto i = static_cast<std::size_t>(e) - 1;
  return i < k_rows.size() && k_rows[i].code == e ? &k_rows[i] : nullptr;
}

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "seatgate"; }
  std::string message(int v) const override {
    const row* r = find(static_cast<errc>(v));
    return r ? std::string(r->title) : "unknown seatgate error";
  }
};

}  // namespace

const std::error_category& api_category() noexcept {
  static const category c;
  return c;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), api_category()};
}

std::string_view code_name(errc e) noexcept {
  const row* r = find(e);
  return r ? r->name : "internal";
}

std::string_view title(errc e) noexcept {
  const row* r = find(e);
  return r ? r->title : find(errc::internal)->title;
}

std::optional<errc> errc_from_name(std::string_view name) noexcept {
  const auto it = std::find_if(k_rows.begin(), k_rows.end(),
                               [&](const row& r) { return r.name == name; });
  if (it == k_rows.end()) return std::nullopt;
  return it->code;
}

std::span<const errc> all_errcs() noexcept { return k_all; }

}  // namespace server_errors
}  // namespace seatgate
