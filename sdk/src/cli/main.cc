// seatgate-cli: the SDK from a shell. JSON on stdout, retries on stderr.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "args.h"
#include "seatgate/client.h"
#include "seatgate/validation.h"

namespace {

using namespace seatgate;

int exit_code(const error& e) {
  if (e.code.rfind("validation_", 0) == 0) return 3;
  if (e.code == errc::cancelled) return 6;
  if (e.code == errc::invalid_response) return 7;
  if (e.code == errc::network || e.code == errc::timeout || e.code == errc::deadline_exceeded ||
      e.code == errc::retry_budget_exhausted)
    return 5;
  return 4;
}

int usage_error(const std::string& msg) {
  std::cerr << "seatgate-cli: " << msg << "\n\n" << cli::usage();
  return 2;
}

template <class T>
int print(const result<T>& r) {
  if (r) {
    std::cout << to_json(r.value()) << "\n";
    return 0;
  }
  std::cout << to_json(r.error()) << "\n";
  std::cerr << "error: " << r.error().code << ": " << r.error().message << "\n";
  return exit_code(r.error());
}

std::string one_id(const cli::args& a, const char* flag) {
  if (auto f = a.flag(flag)) return *f;
  return a.positional.empty() ? std::string() : a.positional[0];
}

bool to_int(const std::string& s, long long& out) {
  char* end = nullptr;
  out = std::strtoll(s.c_str(), &end, 10);
  return !s.empty() && end && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> env;
  for (const char* name : {"SEATGATE_SERVER", "SEATGATE_TOKEN"})
    if (const char* v = std::getenv(name)) env[name] = v;
  auto parsed = cli::parse(argc, argv, env);
  const cli::args& a = parsed.value;
  if (a.help) {
    std::cout << cli::usage();
    return 0;
  }
  if (a.version) {
    std::cout << "seatgate-cli 0.1.0\n";
    return 0;
  }
  if (!parsed.error.empty()) return usage_error(parsed.error);

  client_options o;
  o.base_url = a.server;
  o.user_agent = "seatgate-cli/0.1.0";
  if (!a.token.empty()) o.token_provider = [t = a.token] { return t; };
  o.on_retry = [](const retry_info& i) {
    std::cerr << "retry attempt=" << i.attempt << " delay_ms=" << i.delay.count()
              << " reason=" << i.reason << "\n";
  };
  long long n = 0;
  if (auto v = a.flag("timeout-ms")) {
    if (!to_int(*v, n) || n <= 0) return usage_error("--timeout-ms must be a positive integer");
    o.request_timeout = milliseconds(n);
  }
  if (auto v = a.flag("deadline-ms")) {
    if (!to_int(*v, n) || n <= 0) return usage_error("--deadline-ms must be a positive integer");
    o.retry.deadline = milliseconds(n);
  }
  if (auto v = a.flag("max-attempts")) {
    if (!to_int(*v, n) || n <= 0 || n > 100) return usage_error("--max-attempts must be 1..100");
    o.retry.max_attempts = static_cast<int>(n);
  }
  client c(o);

  if (a.command == "event") return print(c.get_event(one_id(a, "event")));
  if (a.command == "reserve") {
    reserve_request r;
    r.event_id = a.flag("event").value_or("");
    r.zone_id = a.flag("zone").value_or("");
    auto q = a.flag("quantity");
    if (!q) return usage_error("reserve needs --quantity");
    if (!to_int(*q, n)) return usage_error("--quantity must be an integer");
    r.quantity = n;
    r.idempotency_key = a.flag("idempotency-key").value_or("");
    r.queue_pass = a.flag("queue-pass").value_or("");
    return print(c.reserve(r));
  }
  if (a.command == "confirm") {
    confirm_request r;
    r.reservation_id = one_id(a, "reservation");
    r.payment_ref = a.flag("payment-ref");
    r.idempotency_key = a.flag("idempotency-key").value_or("");
    return print(c.confirm(r));
  }
  if (a.command == "release") return print(c.release(one_id(a, "reservation")));
  if (a.command == "reservations")
    return print(c.list_my_reservations(one_id(a, "event")));
  // queue
  const std::string ev = one_id(a, "event");
  if (a.flag("leave")) return print(c.leave_queue(ev));
  if (a.flag("status")) return print(c.queue_status(ev));
  if (!a.flag("wait")) return print(c.join_queue(ev));
  wait_for_pass_options w;
  if (auto v = a.flag("wait-ms")) {
    if (!to_int(*v, n) || n <= 0) return usage_error("--wait-ms must be a positive integer");
    w.deadline = milliseconds(n);
  }
  w.on_position = [](const queue_position& p) {
    std::cerr << "waiting position=" << p.position << " poll_after_ms=" << p.poll_after.count()
              << " next_poll_in_ms=" << p.next_poll_in.count() << "\n";
  };
  return print(c.wait_for_pass(ev, std::move(w)));
}
