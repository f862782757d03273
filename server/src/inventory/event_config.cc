#include "inventory/event_config.h"

#include "inventory/seating/layout.h"

#include <seatgate/rules.h>

#include <algorithm>
#include <set>

namespace seatgate::inventory {

using json = nlohmann::json;

parsed<json> parse_event_config(std::string_view body) {
  using R = json;
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>(errc::invalid_json, why);
  if (!j->is_object()) return fail<R>(errc::invalid_request, "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"name", "currency", "status", "hold_ttl_s", "max_per_order",
                                "max_per_user", "zones", "waiting_room"}))
    return fail<R>(errc::invalid_request, "unknown field '" + *k + "'");

  const auto invalid_request = [](std::string detail) {
    return fail<R>(errc::invalid_request, std::move(detail));
  };
  std::string name, currency, status;
  if (auto e = read_string(*j, "name", 200, std::nullopt, name); !e.empty())
    return invalid_request(e);
  if (auto e = read_string(*j, "currency", 16, std::nullopt, currency); !e.empty())
    return invalid_request(e);
  const bool iso = currency.size() == 3 && std::all_of(currency.begin(), currency.end(),
                                                       [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!iso) return invalid_request("'currency' must be an ISO 4217 code such as \"EUR\"");
  if (auto e = read_string(*j, "status", 16, "on_sale", status); !e.empty())
    return invalid_request(e);
  if (status != "on_sale" && status != "paused" && status != "closed")
    return invalid_request("'status' must be on_sale, paused or closed");

  std::int64_t hold_ttl = 0, max_order = 0, max_user = 0;
  if (auto e = read_int(*j, "hold_ttl_s", 10, 86400, 600, hold_ttl); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(*j, "max_per_order", 1, rules::k_max_quantity, 10, max_order); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(*j, "max_per_user", 1, 10000, 10, max_user); !e.empty())
    return invalid_request(e);

  const auto zit = j->find("zones");
  if (zit == j->end()) return invalid_request("'zones' is required");
  if (!zit->is_array() || zit->empty() || zit->size() > 100)
    return invalid_request("'zones' must be an array of 1 to 100 zones");
  json zones = json::array();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < zit->size(); ++i) {
    const json& z = (*zit)[i];
    const std::string where = "zones[" + std::to_string(i) + "].";
    if (!z.is_object())
      return invalid_request("'" + where.substr(0, where.size() - 1) + "' must be an object");
    // A seated zone (docs/seating.md): its capacity is its seats less the unavailable.
    std::string why;
    const auto kind = seating::parse_zone_kind(z, where, why);
    if (!kind) return invalid_request(why);
    if (*kind == seating::zone_kind::seated) {
      auto seated = seating::parse_seated_zone(z, where);
      if (!seated.value) return {std::nullopt, std::move(seated.error)};
      if (!ids.insert((*seated.value)["id"].get<std::string>()).second)
        return invalid_request("zone id '" + (*seated.value)["id"].get<std::string>() +
                               "' appears twice");
      zones.push_back(std::move(*seated.value));
      continue;
    }
    if (auto k = unknown_key(z, {"id", "name", "kind", "capacity", "price"}))
      return invalid_request("unknown field '" + where + *k + "'");
    std::string id, zname;
    std::int64_t capacity = 0, price = 0;
    if (auto e = read_slug(z, "id", id, where); !e.empty()) return invalid_request(e);
    if (!ids.insert(id).second) return invalid_request("zone id '" + id + "' appears twice");
    if (auto e = read_string(z, "name", 200, std::nullopt, zname, where); !e.empty())
      return invalid_request(e);
    if (auto e = read_int(z, "capacity", 0, 10'000'000, std::nullopt, capacity, where); !e.empty())
      return invalid_request(e);
    if (auto e = read_int(z, "price", 0, 1'000'000'000'000, std::nullopt, price, where); !e.empty())
      return invalid_request(e);
    zones.push_back({{"id", id}, {"name", zname}, {"capacity", capacity}, {"price", price}});
  }

  json room = json::object();
  if (const auto wit = j->find("waiting_room"); wit != j->end() && !wit->is_null()) {
    room = *wit;
    if (!room.is_object()) return invalid_request("'waiting_room' must be an object");
  }
  if (auto k = unknown_key(
          room, {"enabled", "capacity", "admit_per_s", "pass_ttl_s", "max_queues_per_user"}))
    return invalid_request("unknown field 'waiting_room." + *k + "'");
  bool enabled = false;
  if (const auto eit = room.find("enabled"); eit != room.end()) {
    if (!eit->is_boolean()) return invalid_request("'waiting_room.enabled' must be true or false");
    enabled = eit->get<bool>();
  }
  std::int64_t room_capacity = 0, admit = 0, pass_ttl = 0, max_queues = 0;
  const std::string_view w = "waiting_room.";
  if (auto e = read_int(room, "capacity", 1, 1'000'000, 500, room_capacity, w); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(room, "admit_per_s", 1, 100'000, 50, admit, w); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(room, "pass_ttl_s", 10, 86400, 300, pass_ttl, w); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(room, "max_queues_per_user", 1, 100, 2, max_queues, w); !e.empty())
    return invalid_request(e);

  json out = {{"name", name},
              {"currency", currency},
              {"status", status},
              {"hold_ttl_s", hold_ttl},
              {"max_per_order", max_order},
              {"max_per_user", max_user},
              {"zones", std::move(zones)},
              {"waiting_room",
               {{"enabled", enabled},
                {"capacity", room_capacity},
                {"admit_per_s", admit},
                {"pass_ttl_s", pass_ttl},
                {"max_queues_per_user", max_queues}}}};
  return {std::move(out), {}};
}

}  // namespace seatgate::inventory
