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
  co_return seat_map{std::move(layout), store::field(*reply, 2)};
}

net::awaitable<std::optional<error>> write_layouts(redis::connection& conn,
                                                   const std::string& event_id,
                                                   const nlohmann::json& config,
                                                   store::layout_mode mode) {
  for (const auto& zone : config.at("zones")) {
    const bool seated = zone.value("kind", "general") == "seated";
    auto [script, keys, args] = store::seat_layout(event_id, zone.at("id").get<std::string>(),
                                                   seated ? layout_of(zone).dump() : "", mode);
    auto [ec, reply] = co_await conn.eval(script, std::move(keys), std::move(args));
    if (ec) co_return store::storage_error(ec);
    if (auto e = store::error_of(reply)) {
      if (e->code == errc::capacity_below_committed)
        e->detail =
            "zone '" + zone.at("id").get<std::string>() +
            "': held or sold seats would be removed or made unavailable: " + store::field(reply, 3);
      co_return e;
    }
  }
  co_return std::nullopt;
}

}  // namespace seatgate::inventory::seating
