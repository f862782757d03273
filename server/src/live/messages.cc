#include "live/messages.h"

#include <cstdio>

namespace seatgate::live {

namespace {

std::string message(std::string_view type, std::uint64_t id, const nlohmann::json& data) {
  std::string out = "id: ";
  out.append(std::to_string(id)).append("\nevent: ").append(type).append("\ndata: ");
  out.append(data.dump()).append("\n\n");  // dump() escapes line breaks: one data line
  return out;
}

// The event without each zone's `available` and (a seated zone's)
// `seat_version`: what must match for a change to be told as availability
// alone.
nlohmann::json shape_of(const nlohmann::json& event) {
  nlohmann::json s = event;
  s.erase("status");
  if (auto it = s.find("zones"); it != s.end() && it->is_array())
    for (auto& z : *it)
      if (z.is_object()) {
        z.erase("available");
        z.erase("seat_version");
      }
  return s;
}

}  // namespace

void append_framed(std::string& out, std::string_view payload, bool chunked) {
  if (!chunked) {
    out.append(payload);
    return;
  }
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", payload.size());
  out.append(size, static_cast<std::size_t>(n)).append(payload).append("\r\n");
}

std::string snapshot_message(const nlohmann::json& event, std::uint64_t id,
                             std::chrono::milliseconds retry) {
  return "retry: " + std::to_string(retry.count()) + "\n" + message("snapshot", id, event);
}

std::string change_message(const nlohmann::json& change, std::uint64_t id) {
  return message("availability", id, change);
}

difference compare(const nlohmann::json& before, const nlohmann::json& after,
                   nlohmann::json& change) {
  if (before == after) return difference::none;
  if (shape_of(before) != shape_of(after)) return difference::shape;
  nlohmann::json zones = nlohmann::json::array();
  const auto& old_zones = before["zones"];
  const auto& new_zones = after["zones"];
  for (std::size_t i = 0; i < new_zones.size(); ++i) {
    const auto moved = [&](const char* k) {
      return old_zones[i].value(k, nlohmann::json()) != new_zones[i].value(k, nlohmann::json());
    };
    if (!moved("available") && !moved("seat_version")) continue;
    nlohmann::json z = {{"id", new_zones[i]["id"]}, {"available", new_zones[i]["available"]}};
    // A seated zone's seats changed: a client refetches its seat map.
    if (new_zones[i].contains("seat_version")) z["seat_version"] = new_zones[i]["seat_version"];
    zones.push_back(std::move(z));
  }
  change = {{"event_id", after.value("id", "")},
            {"status", after.value("status", nlohmann::json())},
            {"zones", std::move(zones)}};
  return difference::availability;
}

}  // namespace seatgate::live
