#include "store/seat_calls.h"

#include "store/seat_keys.h"

namespace seatgate::store {

script_call seat_layout(std::string_view event_id, std::string_view zone_id,
                        std::string layout_json, layout_mode mode) {
  const event_keys k(event_id);
  return {lua::script::seat_layout,
          {k.event(), seat_layout_key(k, zone_id), seat_state_key(k, zone_id),
           seat_holders_key(k, zone_id)},
          {std::move(layout_json), mode == layout_mode::write ? "write" : "check"}};
}

script_call read_seat_map(std::string_view event_id, std::string_view zone_id) {
  const event_keys k(event_id);
  return {lua::script::read_seat_map,
          {k.event(), seat_layout_key(k, zone_id), seat_state_key(k, zone_id)},
          {std::string(zone_id)}};
}

}  // namespace seatgate::store
