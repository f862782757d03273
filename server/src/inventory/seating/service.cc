#include "inventory/seating/service.h"

#include "inventory/seating/layout.h"
#include "store/decode.h"
#include "store/script.h"

namespace seatgate::inventory::seating {

net::awaitable<result<seat_map>> read_seat_map(redis::connection& conn, const std::string& event_id,
                                               const std::string& zone_id) {
  auto [script, keys, args] = store::read_seat_map(event_id, zone_id);
  auto reply = co_await store::run(conn, script, std::move(keys), std::move(args), true);
  if (!reply) co_return std::move(reply).failure();
  auto layout = nlohmann::json::parse(store::field(*reply, 1), nullptr, false);
  if (layout.is_discarded() || !layout.is_object())
    co_return fail(errc::internal, "the stored seat layout is not JSON");
  co_return seat_map{std::move(layout), store::field(*reply, 2),
                     store::integer_of(reply->elements.size() > 3 ? reply->elements[3]
                                                                   : redis::reply{})};
}

std::vector<std::string> layouts_of(const nlohmann::json& config) {
  std::vector<std::string> out;
  bool any = false;
  for (const auto& zone : config.at("zones")) {
    const bool seated = zone.value("kind", "general") == "seated";
    out.push_back(seated ? layout_of(zone).dump() : "");
    any = any || seated;
  }
  if (!any) out.clear();
  return out;
}

}  // namespace seatgate::inventory::seating
