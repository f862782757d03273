#include "demo/seed.h"

#include "inventory/event_config.h"
#include "util/log.h"

#include <fstream>
#include <sstream>

namespace seatgate::demo {

namespace {

// The event the demo seeds when --demo-seed names no file.
constexpr const char* k_demo_event = R"json({
  "name": "Summer Arena — Flash Sale", "currency": "EUR", "status": "on_sale",
  "hold_ttl_s": 300, "max_per_order": 6, "max_per_user": 8,
  "zones": [
    {"id": "floor", "name": "Floor (standing)", "capacity": 1000, "price": 4500},
    {"id": "balcony", "name": "Balcony", "capacity": 400, "price": 6500},
    {"id": "vip", "name": "VIP Lounge", "capacity": 20, "price": 19900},
    {"id": "stalls", "name": "Stalls (numbered seats)", "kind": "seated", "price": 5500,
     "rows": [{"id": "A", "seats": 12, "aisles_after": [6]},
              {"id": "B", "seats": 14, "aisles_after": [7]},
              {"id": "C", "seats": 14, "aisles_after": [7]},
              {"id": "D", "seats": 16, "aisles_after": [4, 12]},
              {"id": "E", "seats": 16, "aisles_after": [4, 12]},
              {"id": "F", "seats": 16, "aisles_after": [4, 12]}],
     "unavailable": ["A-1", "A-12", "D-8", "D-9"],
     "categories": {"wheelchair": ["F-1", "F-2", "F-15", "F-16"]},
     "category_prices": {"wheelchair": 3000}}
  ],
  "waiting_room": {"enabled": false}
})json";

}  // namespace

boost::asio::awaitable<void> seed(inventory::service& reservations, const config& cfg) {
  std::string text = k_demo_event;
  if (!cfg.demo_seed.empty()) {
    std::ifstream in(cfg.demo_seed);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  auto parsed = inventory::parse_event_config(text);
  if (!parsed.value) {
    log::error("demo seed is invalid", {{"detail", parsed.error.detail}});
    co_return;
  }
  auto existing = co_await reservations.get_event(k_event_id);
  if (existing) co_return;
  auto r = co_await reservations.upsert_event(k_event_id, *parsed.value);
  if (!r) {
    log::error("demo seed failed", {{"event_id", k_event_id},
                                    {"code", code_name(r.failure().code)},
                                    {"detail", r.failure().detail}});
    co_return;
  }
  log::info("demo event seeded", {{"event_id", k_event_id}, {"created", r->created}});
}

}  // namespace seatgate::demo
