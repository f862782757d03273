// Validation before the network (docs/sdk.md). Each rule has its own code
// (errc::validation_*) and a message a person can read. The client_core
// applies these in operation::start(); they are public so a UI can check a
// form field before building a request.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "seatgate/error.h"
#include "seatgate/types.h"

namespace seatgate {

// The syntax rules are the server's own (docs/request-rules.md); the SDK and
// the server compile the same rules header, so they cannot drift.

// Slug: [a-z0-9][a-z0-9-]{0,63}
bool is_slug(std::string_view s);
// "<event-slug>.<22 base64url chars>"
bool is_reservation_id(std::string_view s);
// 1..255 bytes of printable ASCII (0x20..0x7e), not starting or ending with a
// space, as the server requires.
bool is_valid_idempotency_key(std::string_view s);

std::optional<error> validate_event_id(std::string_view id);
std::optional<error> validate_zone_id(std::string_view id);
std::optional<error> validate_reservation_id(std::string_view id);
std::optional<error> validate_idempotency_key(std::string_view key);  // "" is fine: generated
// Queue-Pass: at most 256 bytes of visible ASCII; "" is fine (no pass).
std::optional<error> validate_queue_pass(std::string_view pass);
// payment_ref: 1..255 bytes of printable ASCII, not starting or ending with a space.
std::optional<error> validate_payment_ref(std::string_view ref);

// What the client knows about the order's context; unknown parts are skipped.
struct order_context {
  std::optional<std::int64_t> max_per_order;        // from the event snapshot
  std::optional<std::int64_t> available;            // only when the snapshot is fresh
  std::optional<std::int64_t> remaining_allowance;  // max_per_user - held - confirmed
};

// Quantity rules in order: 1..100 (the max_per_order range), then
// max_per_order, then availability, then the user's allowance.
std::optional<error> validate_quantity(std::int64_t quantity, const order_context& ctx);

// --- Assigned seating ---

// "<row>-<number>": a row id of 1 to 8 letters or digits, a number 1..999.
bool is_seat_id(std::string_view s);

// Picked seats, in order: every id well formed and, when `map` is given (the
// last seat map fetched of the zone), one of its seats
// (validation_unknown_seat); no id twice (validation_duplicate_seat); when
// `fresh`, none held, sold or unavailable in `map` (validation_seat_taken,
// the taken ids in error::taken). The count is validate_quantity's.
std::optional<error> validate_seats(const std::vector<std::string>& seats, const seat_map* map,
                                    bool fresh);

}  // namespace seatgate
