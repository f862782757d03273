// The SDK core's side: the public validation functions operation::start()
// applies before anything is sent.
#include <seatgate/validation.h>

#include "sides.h"

namespace seatgate::contract {
namespace {

verdict of(const std::optional<error>& e) { return {e ? e->code : ""}; }

}  // namespace

verdict sdk_check(rule r, std::string_view text, std::int64_t number) {
  switch (r) {
    case rule::event_id:
      return of(validate_event_id(text));
    case rule::zone_id:
      return of(validate_zone_id(text));
    case rule::reservation_id:
      return of(validate_reservation_id(text));
    case rule::idempotency_key:
      return of(validate_idempotency_key(text));
    case rule::queue_pass:
      return of(validate_queue_pass(text));
    case rule::payment_ref:
      return of(validate_payment_ref(text));
    case rule::quantity:
      return of(validate_quantity(number, order_context{}));
  }
  return {"unknown rule"};
}

}  // namespace seatgate::contract
