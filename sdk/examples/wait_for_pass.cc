// Wait in an event's waiting room, then reserve with the pass: the C++ API.
//   seatgate_example_wait_cpp http://127.0.0.1:8080 <user-token> <event> <zone>
#include <seatgate/client.h>

#include <chrono>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: " << argv[0] << " BASE_URL TOKEN EVENT ZONE\n";
    return 2;
  }
  seatgate::client_options options;
  options.base_url = argv[1];
  options.token_provider = [token = std::string(argv[2])] { return token; };
  seatgate::client client(options);

  seatgate::wait_for_pass_options wait;
  wait.deadline = std::chrono::minutes(10);  // default: 30 minutes
  wait.on_position = [](const seatgate::queue_position& p) {
    std::cerr << "position " << p.position << ", asking again in " << p.next_poll_in.count()
              << " ms\n";
  };
  // Joins (keeping the first place if already in line), then polls as the
  // server's poll_after_ms says, with jitter. Another thread may stop it
  // with a seatgate::cancel_token passed as the third argument.
  auto turn = client.wait_for_pass(argv[3], wait);
  if (!turn) {
    std::cerr << turn.error().code << ": " << turn.error().message << "\n";
    return 1;
  }
  std::cout << (turn->status == "admitted" ? "admitted until " + turn->pass_expires_at
                                           : std::string("no waiting room"))
            << "\n";

  // The client remembers the pass: this reserve sends it as Queue-Pass.
  auto held = client.reserve({.event_id = argv[3], .zone_id = argv[4], .quantity = 1});
  if (!held) {
    std::cerr << held.error().code << ": " << held.error().message << "\n";
    return 1;
  }
  std::cout << "held " << held->id << "\n";
  return 0;
}
