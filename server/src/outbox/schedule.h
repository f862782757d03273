// The webhook retry schedule (docs/webhooks.md "Retries"): exponential
// backoff with equal jitter, for a window after the first attempt. Pure.
#pragma once

#include <chrono>
#include <string_view>

namespace seatgate::outbox {

struct retry_schedule {
  std::chrono::milliseconds first{5000};       // wait after the first failure
  std::chrono::milliseconds max{3600000};      // longest wait
  std::chrono::milliseconds window{86400000};  // then the delivery is failed
};

// The wait after `failures` (>= 1) failed attempts: first * 2^(failures-1),
// at most max, of which half is fixed and half scaled by `r` in [0, 1).
std::chrono::milliseconds retry_delay(const retry_schedule& s, unsigned failures, double r);

// "FIRST_MS,MAX_MS,WINDOW_MS" (--webhook-retry-schedule); false when not
// three integers with 1 <= FIRST <= MAX and WINDOW >= 0.
bool parse_schedule(std::string_view text, retry_schedule& out);

}  // namespace seatgate::outbox
