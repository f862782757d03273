// Per-user request rate limit (SPEC §3: 429 rate_limited): a token bucket per
// user, one limiter per I/O thread (no locks). A user's requests are spread
// over the threads by connection, so the limit holds per thread; with N
// threads a user may reach up to N times the rate (docs/operations.md).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seatgate::http {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  // `rate` requests per second, bursts of up to `burst`.
  rate_limiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // True if the request may go ahead; else `retry_after_s` is when the next
  // token arrives (rounded up, at least 1).
  bool allow(std::string_view user, clock::time_point now, unsigned& retry_after_s);

  std::size_t tracked() const { return buckets_.size(); }

  // Buckets beyond this are pruned (full ones dropped) before a new one is made.
  static constexpr std::size_t k_max_tracked = 100'000;

 private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };
  void prune(clock::time_point now);
  double rate_, burst_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace seatgate::http
