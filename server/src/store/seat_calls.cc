#include "store/seat_calls.h"

#include "store/keys.h"

namespace seatgate::store {

script_call read_seat_map(std::string_view event_id, std::string_view zone_id) {
  const event_keys k(event_id);
  return {lua::script::read_seat_map, {k.event(), k.seats(), k.seat_layouts()},
          {std::string(zone_id)}};
}

}  // namespace seatgate::store
