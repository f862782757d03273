#include <seatgate/client.h>

#include <iostream>

int main() {
  seatgate::client c(seatgate::client_options{});
  auto r = c.reserve({.event_id = "summer", .zone_id = "floor", .quantity = 0});
  if (r.ok() || r.error().code != "validation_quantity") return 1;
  std::cout << "cpp ok: " << r.error().message << " key " << c.new_idempotency_key() << "\n";
  return 0;
}
