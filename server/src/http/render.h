// The API's JSON shapes (docs/openapi.yaml), each rendered here once from
// the domain's values. The domain does not depend on this.
#pragma once

#include "domain/queue_state.h"
#include "domain/reservation.h"

#include <string>

namespace seatgate::http {

// A reservation: every field of docs/openapi.yaml's Reservation, keys in
// sorted order (the bytes nlohmann::json::dump() would write), times as
// RFC 3339 with milliseconds, absent values null.
std::string reservation_json(const reservation& r);
// {"event_id", "next_cursor": string|null, "reservations": [...]}.
std::string reservation_page_json(const reservation_page& page);
// {"status", ...}: waiting (position, poll_after_ms), admitted (queue_pass,
// pass_expires_at), not_required, not_joined, left.
std::string queue_state_json(const queue_state& s);

}  // namespace seatgate::http
