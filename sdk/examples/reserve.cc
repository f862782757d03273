// Reserve two seats, then confirm them: the C++ API.
//   seatgate_example_cpp http://127.0.0.1:8080 <user-token> <event> <zone>
#include <seatgate/client.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: " << argv[0] << " BASE_URL TOKEN EVENT ZONE\n";
    return 2;
  }
  seatgate::client_options options;
  options.base_url = argv[1];
  options.token_provider = [token = std::string(argv[2])] { return token; };
  options.on_retry = [](const seatgate::retry_info& r) {
    std::cerr << "retrying (attempt " << r.attempt << ") in " << r.delay.count()
              << " ms after " << r.reason << "\n";
  };
  seatgate::client client(options);

  // Persist the key first: after a crash, reserving again with the same key
  // returns the same reservation instead of a second one.
  seatgate::reserve_request req;
  req.event_id = argv[3];
  req.zone_id = argv[4];
  req.quantity = 2;
  req.idempotency_key = client.new_idempotency_key();

  auto held = client.reserve(req);
  if (!held) {
    const seatgate::error& e = held.error();
    std::cerr << e.code << " (HTTP " << e.http_status << ", " << e.attempts
              << " attempts): " << e.message << "\n";
    return 1;
  }
  std::cout << "held " << held->id << " until " << held->expires_at.value_or("?") << "\n";

  auto paid = client.confirm({.reservation_id = held->id, .payment_ref = "pay_123"});
  if (!paid) {
    std::cerr << paid.error().code << ": " << paid.error().message << "\n";
    return 1;
  }
  std::cout << seatgate::to_json(paid.value()) << "\n";
  return 0;
}
