#include "store/seat_keys.h"

namespace seatgate::store {

namespace {

std::string join(const event_keys& k, std::string_view kind, std::string_view zone_id) {
  std::string key;
  key.reserve(k.prefix().size() + kind.size() + zone_id.size());
  key.append(k.prefix()).append(kind).append(zone_id);
  return key;
}

}  // namespace

std::string seat_layout_key(const event_keys& k, std::string_view zone_id) {
  return join(k, "layout:", zone_id);
}
std::string seat_state_key(const event_keys& k, std::string_view zone_id) {
  return join(k, "seats:", zone_id);
}
std::string seat_holders_key(const event_keys& k, std::string_view zone_id) {
  return join(k, "seat_holders:", zone_id);
}

}  // namespace seatgate::store
