// The key prefix of an event's keys (docs/redis-schema.md).
#pragma once

#include <string>
#include <string_view>

namespace seatgate::inventory {

// "sg:{e:<event>}:".
inline std::string key_prefix(std::string_view event_id) {
  std::string p;
  p.reserve(event_id.size() + 8);
  p.append("sg:{e:").append(event_id).append("}:");
  return p;
}

}  // namespace seatgate::inventory
