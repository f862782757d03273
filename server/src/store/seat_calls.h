// The call builders of the assigned-seating scripts (docs/seating.md), in the
// shape of store/calls.h: typed parameters in, KEYS and ARGV in the order of
// the script's header comment out. Pure.
#pragma once

#include <string>
#include <string_view>

#include "store/calls.h"

namespace seatgate::store {

// check: answers whether the layout could be written, writes nothing.
enum class layout_mode { check, write };
// `layout_json` "" removes the zone's seat state (it is no longer seated).
script_call seat_layout(std::string_view event_id, std::string_view zone_id,
                        std::string layout_json, layout_mode mode);
script_call read_seat_map(std::string_view event_id, std::string_view zone_id);

}  // namespace seatgate::store
