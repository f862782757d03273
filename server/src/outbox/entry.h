// One outbox entry (docs/webhooks.md "The outbox"): the flat fields a status
// change appends to its event's stream `sg:{e:E}:out`, and what consumers
// make of it: the webhook payload and its delivery id. Pure: no Redis, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seatgate::outbox {

// The fields of an entry in its flat form (the retry stream's copies, and
// entries written before the record form), in order. The scripts write
// {id, event_id, occurred_at, record}: the record (store/record.h) carries
// the rest, and the type is "reservation.<its status>" (docs/webhooks.md).
inline constexpr std::array<std::string_view, 16> k_fields{
    "type",         "occurred_at", "id",       "event_id", "zone_id",    "user_id",
    "quantity",     "amount",      "currency", "status",   "created_at", "expires_at",
    "confirmed_at", "payment_ref", "version",  "seats"};

// The four entry types; a webhook subscribes to some of them.
inline constexpr std::array<std::string_view, 4> k_types{
    "reservation.held", "reservation.confirmed", "reservation.released", "reservation.expired"};
bool is_type(std::string_view t);

struct entry {
  std::string stream_id;  // the stream's entry id, "<ms>-<seq>"
  std::string type, id, event_id, zone_id, user_id, currency, status, payment_ref;
  std::int64_t occurred_at = 0, quantity = 0, amount = 0, created_at = 0, expires_at = 0;
  std::optional<std::int64_t> confirmed_at;
  std::int64_t version = 0;
  std::vector<std::string> seats;
};

// The entry of a stream's field/value list, either form; nullopt when a
// field is missing or a number is not one.
std::optional<entry> parse(std::string stream_id,
                           const std::vector<std::pair<std::string, std::string>>& fields);
// The field/value list again (for the retry stream, which copies an entry).
std::vector<std::pair<std::string, std::string>> to_fields(const entry& e);

// The id of the change, the same for every endpoint: "<event_id>.<stream id>".
std::string change_id(const entry& e);
// The delivery id of the change to one endpoint (Seatgate-Delivery): stable,
// so a receiver dedupes redeliveries with it: "<event_id>.<stream id>.<endpoint>".
std::string delivery_id(const entry& e, std::string_view endpoint);
// The POST body: {"id","type","created_at","data":{"reservation":{...}}}.
std::string payload(const entry& e);
// The JSON of the reservation inside the payload (also the shape of a failed
// delivery's record).
std::string reservation_json(const entry& e);

}  // namespace seatgate::outbox
