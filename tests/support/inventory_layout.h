// The inventory's key layout as tests read and adjust it by hand
// (docs/redis-schema.md, Keys): a reservation's record in `P r`, its index
// members in `P ix`, the counters in `P ev`. Key names come from
// server/src/store/keys.h, so the tests and the scripts cannot drift.
#pragma once

#include <optional>
#include <string>

#include "redis_server.h"
#include "store/record.h"

namespace seatgate::test::layout {

// One reservation record, its fields as stored (store/record.h).
using store::parse_record;
using store::record;
std::optional<record> read_record(const redis_endpoint& r, const std::string& event,
                                  const std::string& rid);
// The record's status, "" when there is no such reservation.
std::string status(const redis_endpoint& r, const std::string& event, const std::string& rid);

// Moves a reservation's expires_at to `at_ms` in its record and, while it is
// held, in its three expiry-order members, as if it had been made earlier.
void set_expires_at(const redis_endpoint& r, const std::string& event, const std::string& rid,
                    long long at_ms);

// An integer field of the event hash (`z:<zone>:held`, `u:<user>`,
// `n:expired`, ...), 0 when absent.
long long counter(const redis_endpoint& r, const std::string& event, const std::string& field);

// The index member of a hold in the event's expiry order, and of a
// reservation in its user's history.
std::string event_order_member(long long expires_at_ms, const std::string& rid);
std::string history_member(const std::string& user, long long created_at_ms,
                           const std::string& rid);

}  // namespace seatgate::test::layout
