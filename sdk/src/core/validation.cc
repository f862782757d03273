#include "seatgate/validation.h"

#include <seatgate/rules.h>

#include <string>

namespace seatgate {
namespace {

error invalid(const char* code, std::string message) {
  error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

// Quotes at most 80 bytes of user input, replacing control bytes.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 80; ++i)
    out += (static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7f) ? '?' : s[i];
  if (s.size() > 80) out += "...";
  return out + "\"";
}

std::optional<error> validate_slug(std::string_view id, const char* code, const char* what,
                                   const char* empty_message) {
  if (id.empty()) return invalid(code, empty_message);
  if (!rules::is_slug(id))
    return invalid(code, std::string("The ") + what + " " + quoted(id) +
                             " is not valid: use 1 to 64 lowercase letters, digits or '-', "
                             "starting with a letter or digit.");
  return std::nullopt;
}

}  // namespace

bool is_slug(std::string_view s) { return rules::is_slug(s); }
bool is_reservation_id(std::string_view s) { return rules::is_reservation_id(s); }
bool is_valid_idempotency_key(std::string_view s) { return rules::is_idempotency_key(s); }

std::optional<error> validate_event_id(std::string_view id) {
  return validate_slug(id, errc::validation_event_id, "event id",
                       "Choose an event: the event id is empty.");
}

std::optional<error> validate_zone_id(std::string_view id) {
  return validate_slug(id, errc::validation_zone_id, "zone id",
                       "Choose a zone: the zone id is empty.");
}

std::optional<error> validate_reservation_id(std::string_view id) {
  if (id.empty()) return invalid(errc::validation_reservation_id, "The reservation id is empty.");
  if (!rules::is_reservation_id(id))
    return invalid(errc::validation_reservation_id,
                   "The reservation id " + quoted(id) +
                       " is not valid: expected \"<event-id>.<22 characters>\" as returned by "
                       "reserve.");
  return std::nullopt;
}

std::optional<error> validate_idempotency_key(std::string_view key) {
  if (key.empty() || rules::is_idempotency_key(key)) return std::nullopt;
  return invalid(errc::validation_idempotency_key,
                 "The idempotency key must be 1 to 255 printable ASCII characters, not starting "
                 "or ending with a space (a UUID is best).");
}

std::optional<error> validate_queue_pass(std::string_view pass) {
  if (rules::is_queue_pass(pass)) return std::nullopt;
  return invalid(errc::validation_queue_pass,
                 "The queue pass is not valid: it must be the token returned by the waiting room.");
}

std::optional<error> validate_payment_ref(std::string_view ref) {
  if (rules::is_payment_ref(ref)) return std::nullopt;
  return invalid(errc::validation_payment_ref,
                 "The payment reference must be 1 to 255 printable ASCII characters, not "
                 "starting or ending with a space.");
}

std::optional<error> validate_quantity(std::int64_t quantity, const order_context& ctx) {
  if (!rules::is_quantity(quantity))
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

// --- Assigned seating ---

namespace seatgate {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string seat_list(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += i + 1 == ids.size() ? " and " : ", ";
    out += ids[i];
  }
  return out;
}

}  // namespace

bool is_seat_id(std::string_view s) {
  const auto dash = s.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 8) return false;
  for (std::size_t i = 0; i < dash; ++i)
    if (!is_alnum(s[i])) return false;
  const std::string_view num = s.substr(dash + 1);
  if (num.empty() || num.size() > 3 || num[0] == '0') return false;
  for (char c : num)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<error> validate_seats(const std::vector<std::string>& seats, const seat_map* map,
                                    bool fresh) {
  for (const auto& id : seats) {
    if (!is_seat_id(id))
      return invalid(errc::validation_unknown_seat,
                     "The seat " + quoted(id) +
                         " is not a seat id: expected a row and a seat number, like \"A-12\".");
    if (map && map->state_of(id) == 0)
      return invalid(errc::validation_unknown_seat,
                     "There is no seat " + quoted(id) + " in this zone.");
  }
  for (std::size_t i = 0; i < seats.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (seats[i] == seats[j])
        return invalid(errc::validation_duplicate_seat,
                       "The seat " + quoted(seats[i]) + " is listed twice.");
  if (map && fresh) {
    std::vector<std::string> taken;
    for (const auto& id : seats)
      if (map->state_of(id) != 'a') taken.push_back(id);
    if (!taken.empty()) {
      error e = invalid(errc::validation_seat_taken,
                        (taken.size() == 1 ? "The seat " + taken[0] + " is"
                                           : "The seats " + seat_list(taken) + " are") +
                            " no longer available; choose another.");
      e.taken = std::move(taken);
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace seatgate
