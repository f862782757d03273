// The call builders of the assigned-seating reads (docs/seating.md), in the
// shape of store/calls.h: typed parameters in, KEYS and ARGV in the order of
// the script's header comment out. Pure. Seat layouts are written by
// upsert_event and seats held by the inventory scripts (store/calls.h).
#pragma once

#include <string>
#include <string_view>

#include "store/calls.h"

namespace seatgate::store {

script_call read_seat_map(std::string_view event_id, std::string_view zone_id);

}  // namespace seatgate::store
