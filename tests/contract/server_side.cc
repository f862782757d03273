// The server's side: the same functions the routes call, fed the way the
// routes feed them (ids in a body or path, headers as text, bodies as JSON).
#include <nlohmann/json.hpp>
#include <string>

#include "domain/errc.h"
#include "inventory/reserve_body.h"
#include "inventory/validation.h"
#include "sides.h"

namespace seatgate::contract {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

template <class T>
verdict of(const inventory::parsed<T>& p) {
  return {p.value ? "" : std::string(code_name(p.error.code))};
}
verdict of(const std::optional<seatgate::error>& e) {
  return {e ? std::string(code_name(e->code)) : ""};
}

// A reserve body with one field replaced; ids go through the body parser
// (both its fast and its full path) and through the route's id check.
verdict reserve_with(const char* field, const json& value) {
  json body = {{"event_id", "arena"}, {"zone_id", "floor"}, {"quantity", 1}};
  body[field] = value;
  return of(inventory::parse_reserve(dump(body)));
}

}  // namespace

verdict server_check(rule r, std::string_view text, std::int64_t number) {
  switch (r) {
    case rule::event_id: {
      const verdict body = reserve_with("event_id", std::string(text));
      const verdict path{inventory::is_slug(text) ? "" : "invalid_request"};
      if (body.accepted() != path.accepted()) return {"body and path disagree"};
      return body;
    }
    case rule::zone_id:
      return reserve_with("zone_id", std::string(text));
    case rule::reservation_id:
      return {inventory::event_of_reservation_id(text) ? "" : "reservation_not_found"};
    case rule::idempotency_key:
      return of(inventory::check_idempotency_key(text));
    case rule::queue_pass:
      return of(inventory::check_queue_pass(text));
    case rule::payment_ref:
      return of(inventory::parse_confirm(dump(json{{"payment_ref", std::string(text)}})));
    case rule::quantity:
      return reserve_with("quantity", number);
  }
  return {"unknown rule"};
}

}  // namespace seatgate::contract
