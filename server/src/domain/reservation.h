// The reservation as the domain knows it (docs/redis-schema.md, the
// reservation hash), and what the reservation service answers with.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seatgate {

// Empty strings and empty optionals are absent values (null in the API).
struct reservation {
  std::string id, event_id, zone_id, user_id, currency, status, payment_ref;
  std::optional<std::int64_t> quantity, amount;
  // Milliseconds since the epoch. expires_at only while the hold stands:
  // a confirmed or released reservation has none.
  std::optional<std::int64_t> created_at_ms, expires_at_ms, confirmed_at_ms;
  // A seated zone's reservation: its seat ids (docs/seating.md); empty for
  // general admission.
  std::vector<std::string> seats;
};

// One reservation answer. `created`: a new hold was made by this request;
// `replayed`: answered from the idempotency record of an earlier request.
struct reservation_outcome {
  reservation value;
  bool created = false;
  bool replayed = false;
};

// One page of a user's reservations in an event, oldest first.
struct reservation_page {
  std::string event_id;
  std::vector<reservation> items;
  std::optional<std::string> next_cursor;  // absent: the last page
};

// An event as the store keeps it (read_event.lua's document).
struct event_outcome {
  nlohmann::json event;
  bool created = false;  // the upsert made a new event
};

}  // namespace seatgate
