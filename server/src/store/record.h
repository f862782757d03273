// A reservation's record as the inventory scripts store it in `P r`, field R
// (docs/redis-schema.md, Keys), and as an outbox entry carries it
// (docs/webhooks.md, The outbox): one text
//   status|version|quantity|amount|created_at|expires_at|confirmed_at|zone|
//   currency|seats|len(U)|U|payment_ref
// U and payment_ref may hold any byte (U is length-prefixed, payment_ref is
// last). The C++ twin of lib/prelude.lua's rec_parse/rec_text. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seatgate::store {

// The fields as stored: text, times in ms, "" = none.
struct record {
  std::string status, version, quantity, amount, created_at, expires_at, confirmed_at, zone_id,
      currency, user_id, payment_ref;
  std::string seats;  // a seated hold's seat ids joined by ',' (docs/seating.md)
};

// nullopt when the text is not a record (too few fields, a bad length).
std::optional<record> parse_record(std::string_view text);
std::string record_text(const record& r);

// The record's fields as the API and the outbox name them: zone_id,
// user_id, quantity, amount, currency, status, created_at, expires_at,
// confirmed_at, payment_ref, version, seats (views into `r`).
std::vector<std::pair<std::string_view, std::string_view>> named_fields(const record& r);

}  // namespace seatgate::store
