// Script replies (docs/redis-schema.md, Replies) -> domain values and
// errors. Pure: no I/O, no HTTP.
#pragma once

#include "domain/errc.h"
#include "domain/queue_state.h"
#include "domain/reservation.h"
#include "redis/reply.h"

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::store {

// Seat ids as the scripts join them ("A-1,A-2"; docs/seating.md).
std::vector<std::string> seat_list(std::string_view csv);

// The connection failed or timed out: `unavailable`, retryable after 1 s.
error storage_error(const boost::system::error_code& ec);

// nullopt for {"OK", ...}; the error of {"ERR", code, retry_after} (retryable
// when retry_after > 0; a code the API does not know is `internal`); a
// Redis-level failure (error reply, wrong shape) is `unavailable`.
std::optional<error> error_of(const redis::reply& r);
// The code of an {"ERR", code, ...} reply as sent ("" for anything else),
// for the script's own codes that are no API error (claim_revoked).
std::string_view refusal_code(const redis::reply& r);

// Element i of an array reply as text ("" when absent).
std::string field(const redis::reply& r, std::size_t i);
// An integer or integer text reply (0 when neither).
std::int64_t integer_of(const redis::reply& r);

// What the server sent reserve_seats: a new hold's reply carries only what
// the server cannot know (created_at, expires_at, amount, currency), and
// these fill in the rest (status "held", confirmed_at and payment_ref null).
struct known_reservation {
  std::string_view id, event_id, zone_id, user_id;
  std::int64_t quantity = 0;
};

// A new hold's reply: one text (store/new_hold.h).
bool is_new_hold(const redis::reply& r);

// Flat field/value pairs starting at `first` -> a reservation (or a new
// hold's text, see above). Values that
// are empty, or not integers where integers belong, are absent; with
// `known`, fields the reply lacks are taken from it (fields in the reply win).
reservation decode_reservation(const redis::reply& r, std::size_t first,
                               const known_reservation* known = nullptr);
// {"OK", replayed, pairs...} or a new hold's text -> the reservation and its
// replayed flag.
reservation_outcome decode_reservation_reply(const redis::reply& r,
                                             const known_reservation* fresh = nullptr);

// A position answer of join_queue / queue_position ({"OK", status, ...});
// nullopt for a status the API does not know. `poll_after` computes the
// waiting client's poll interval from (position, admit_per_s).
std::optional<queue_state> decode_queue_state(const redis::reply& r,
                                              std::int64_t (*poll_after)(std::int64_t,
                                                                         std::int64_t));

// {"OK", json_text}: the document (a string when it is not JSON).
nlohmann::json decode_document(const redis::reply& r);

}  // namespace seatgate::store
