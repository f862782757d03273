#include <algorithm>

#include "state.h"

namespace seatgate {

bool is_retryable_status(int status, bool body_says_retryable) {
  switch (status) {
    case 409:
      return body_says_retryable;
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

namespace detail {

void retry_budget::refill(std::int64_t now_ms) {
  if (refilled_at_ < 0) {
    refilled_at_ = now_ms;
    return;
  }
  if (now_ms <= refilled_at_) return;
  double gained = static_cast<double>(now_ms - refilled_at_) / 1000.0 * opts_.refill_per_second;
  tokens_ = std::min(opts_.capacity, tokens_ + gained);
  refilled_at_ = now_ms;
}

bool retry_budget::try_take(std::int64_t now_ms) {
  if (opts_.capacity <= 0) return true;  // disabled
  refill(now_ms);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

double retry_budget::tokens(std::int64_t now_ms) {
  refill(now_ms);
  return tokens_;
}

}  // namespace detail
}  // namespace seatgate
