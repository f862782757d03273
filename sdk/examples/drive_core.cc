// Driving the sans-IO core by hand: the whole contract a transport fulfils.
// A fake "server" answers sold_out (retryable) once, then 201.
#include <seatgate/core.h>

#include <iostream>
#include <random>
#include <variant>

int main() {
  std::int64_t now = 0;  // a fake clock: waits advance it instantly
  std::mt19937_64 prng(42);  // demo only: real transports use a CSPRNG
  seatgate::environment env;
  env.now_ms = [&] { return now; };
  env.random_bytes = [&](std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(prng());
  };
  seatgate::core_options options;
  options.token_provider = [] { return std::string("token"); };
  options.on_retry = [](const seatgate::retry_info& r) {
    std::cout << "retry " << r.attempt << " after " << r.reason << " in " << r.delay.count()
              << " ms\n";
  };
  seatgate::client_core core(options, env);

  seatgate::operation op = core.reserve({.event_id = "summer", .zone_id = "floor", .quantity = 2});
  int calls = 0;
  for (seatgate::step s = op.start();;) {
    switch (s.kind) {
      case seatgate::step_kind::send: {
        std::cout << s.request.method << " " << s.request.path << " key "
                  << s.request.header("Idempotency-Key") << "\n";
        seatgate::http_response r;
        if (calls++ == 0) {
          r.status = 409;
          r.headers = {{"Retry-After", "1"}};
          r.body = R"({"code":"sold_out","retryable":true,"detail":"Sold out for now"})";
        } else {
          r.status = 201;
          r.body = R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer",)"
                   R"("zone_id":"floor","quantity":2,"status":"held"})";
        }
        s = op.on_response(r);
        break;
      }
      case seatgate::step_kind::wait:
        now += s.delay.count();
        s = op.on_timer();
        break;
      case seatgate::step_kind::done:  // the core decoded the result
        std::cout << "reserved " << std::get<seatgate::reservation>(s.value).id << "\n";
        return 0;
      case seatgate::step_kind::failed:
        std::cout << "failed: " << s.err.code << "\n";
        return 1;
    }
  }
}
