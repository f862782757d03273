#include "seatgate/validation.h"

#include <string>

namespace seatgate {
namespace {

error invalid(const char* code, std::string message) {
  error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

bool slug_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool b64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Quotes at most 80 bytes of user input, replacing control bytes.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 80; ++i)
    out += (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7f) ? '?' : s[i];
  if (s.size() > 80) out += "...";
  return out + "\"";
}

}  // namespace

bool is_slug(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] == '-') return false;
  for (char c : s)
    if (!slug_char(c)) return false;
  return true;
}

bool is_reservation_id(std::string_view s) {
  auto dot = s.rfind('.');
  if (dot == std::string_view::npos || !is_slug(s.substr(0, dot))) return false;
  auto tail = s.substr(dot + 1);
  if (tail.size() != 22) return false;
  for (char c : tail)
    if (!b64url_char(c)) return false;
  return true;
}

bool is_valid_idempotency_key(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

std::optional<error> validate_event_id(std::string_view id) {
  if (id.empty())
    return invalid(errc::validation_event_id, "Choose an event: the event id is empty.");
  if (!is_slug(id))
    return invalid(errc::validation_event_id,
                   "The event id " + quoted(id) +
                       " is not valid: use 1 to 64 lowercase letters, digits or '-', "
                       "starting with a letter or digit.");
  return std::nullopt;
}

std::optional<error> validate_zone_id(std::string_view id) {
  if (id.empty()) return invalid(errc::validation_zone_id, "Choose a zone: the zone id is empty.");
  if (!is_slug(id))
    return invalid(errc::validation_zone_id,
                   "The zone id " + quoted(id) +
                       " is not valid: use 1 to 64 lowercase letters, digits or '-', "
                       "starting with a letter or digit.");
  return std::nullopt;
}

std::optional<error> validate_reservation_id(std::string_view id) {
  if (id.empty()) return invalid(errc::validation_reservation_id, "The reservation id is empty.");
  if (!is_reservation_id(id))
    return invalid(errc::validation_reservation_id,
                   "The reservation id " + quoted(id) +
                       " is not valid: expected \"<event-id>.<22 characters>\" as returned by "
                       "reserve.");
  return std::nullopt;
}

std::optional<error> validate_idempotency_key(std::string_view key) {
  if (key.empty() || is_valid_idempotency_key(key)) return std::nullopt;
  return invalid(errc::validation_idempotency_key,
                 "The idempotency key must be 1 to 255 printable ASCII characters without "
                 "spaces (a UUID is best).");
}

std::optional<error> validate_quantity(std::int64_t quantity, const order_context& ctx) {
  if (quantity < 1 || quantity > 100)
    return invalid(
        errc::validation_quantity,
        "The quantity must be a whole number from 1 to 100; got " + std::to_string(quantity) + ".");
  if (ctx.max_per_order && quantity > *ctx.max_per_order)
    return invalid(errc::validation_above_max_per_order,
                   "At most " + std::to_string(*ctx.max_per_order) +
                       " tickets can be bought in one order; you asked for " +
                       std::to_string(quantity) + ".");
  if (ctx.available && quantity > *ctx.available)
    return invalid(errc::validation_above_availability,
                   *ctx.available == 0 ? std::string("No tickets are left in this zone right now.")
                                       : "Only " + std::to_string(*ctx.available) +
                                             " tickets are left in this zone; you asked for " +
                                             std::to_string(quantity) + ".");
  if (ctx.remaining_allowance && quantity > *ctx.remaining_allowance)
    return invalid(errc::validation_above_user_allowance,
                   *ctx.remaining_allowance <= 0
                       ? std::string("You already have the most tickets allowed for this event.")
                       : "You can get " + std::to_string(*ctx.remaining_allowance) +
                             " more tickets for this event; you asked for " +
                             std::to_string(quantity) + ".");
  return std::nullopt;
}

}  // namespace seatgate
