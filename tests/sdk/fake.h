// A fake clock, a deterministic random source and a scripted transport for
// driving the sans-IO core in tests.
#pragma once

#include <seatgate/core.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seatgate::test {

// One scripted answer to a send step.
struct answer {
  int status = 0;  // 0: transport failure
  std::string body;
  header_list headers;
  transport_failure failure = transport_failure::network;
  std::int64_t takes_ms = 0;  // clock advance while "in flight"

  static answer ok(int status, std::string body) { return {status, std::move(body), {}}; }
  static answer problem(int status, const std::string& code, std::optional<bool> retryable,
                        std::optional<int> retry_after = std::nullopt) {
    answer a;
    a.status = status;
    a.body = "{\"type\":\"urn:seatgate:error:" + code +
             "\",\"title\":\"t\",\"status\":" + std::to_string(status) +
             ",\"detail\":\"detail of " + code + "\",\"code\":\"" + code + "\"" +
             (retryable ? std::string(",\"retryable\":") + (*retryable ? "true" : "false") : "") +
             "}";
    a.headers.emplace_back("Content-Type", "application/problem+json");
    a.headers.emplace_back("X-Request-Id", "req-" + code);
    if (retry_after) a.headers.emplace_back("Retry-After", std::to_string(*retry_after));
    return a;
  }
  static answer fail(transport_failure f) {
    answer a;
    a.failure = f;
    return a;
  }
};

inline constexpr const char* reservation_json =
    R"({"id":"summer.AAAAAAAAAAAAAAAAAAAAAA","event_id":"summer","zone_id":"floor",)"
    R"("user_id":"alice","quantity":2,"amount":9000,"currency":"EUR","status":"held",)"
    R"("created_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:10:00Z",)"
    R"("confirmed_at":null,"payment_ref":null})";

// A valid order of 2 seats in summer/floor, with the caller's key if given.
inline reserve_request order(std::string key = {}) {
  reserve_request r;
  r.event_id = "summer";
  r.zone_id = "floor";
  r.quantity = 2;
  r.idempotency_key = std::move(key);
  return r;
}

struct harness {
  std::int64_t now = 1'000'000;
  std::uint64_t seed = 0x9e3779b97f4a7c15ULL;
  std::optional<std::uint64_t> fixed_random;  // every 8-byte draw returns this
  std::vector<retry_info> retries;
  std::vector<http_request> sent;
  std::vector<milliseconds> waits;
  std::vector<queue_position> positions;  // of wait steps that poll a waiting room
  int token_calls = 0;
  core_options options;
  std::unique_ptr<client_core> core;

  harness() {
    options.token_provider = [this] {
      ++token_calls;
      return std::string("tok");
    };
  }

  environment env() {
    environment e;
    e.now_ms = [this] { return now; };
    e.random_bytes = [this](std::uint8_t* p, std::size_t n) {
      for (std::size_t i = 0; i < n; i += 8) {
        std::uint64_t v = fixed_random ? *fixed_random : next();
        for (std::size_t j = 0; j < 8 && i + j < n; ++j)
          p[i + j] = static_cast<std::uint8_t>(v >> (8 * j));
      }
    };
    return e;
  }
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  client_core& make() {
    auto opts = options;
    opts.on_retry = [this](const retry_info& i) { retries.push_back(i); };
    core = std::make_unique<client_core>(opts, env());
    return *core;
  }
  client_core& c() { return core ? *core : make(); }

  // Feeds the script until the operation finishes or the script runs out
  // (then the last step is returned as it is).
  step run(operation& op, std::vector<answer> script) {
    std::size_t i = 0;
    step s = op.start();
    for (;;) {
      if (s.kind == step_kind::send) {
        sent.push_back(s.request);
        if (i >= script.size()) return s;
        const answer& a = script[i++];
        now += a.takes_ms;
        if (a.status == 0) {
          s = op.on_transport_error(a.failure, "scripted");
        } else {
          http_response r;
          r.status = a.status;
          r.body = a.body;
          r.headers = a.headers;
          s = op.on_response(r);
        }
      } else if (s.kind == step_kind::wait) {
        waits.push_back(s.delay);
        if (s.position) positions.push_back(*s.position);
        now += s.delay.count();
        s = op.on_timer();
      } else {
        return s;
      }
    }
  }
};

}  // namespace seatgate::test
