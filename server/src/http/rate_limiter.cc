#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace seatgate::http {

bool rate_limiter::allow(std::string_view user, clock::time_point now, unsigned& retry_after_s) {
  auto it = buckets_.find(std::string(user));
  if (it == buckets_.end()) {
    if (buckets_.size() >= k_max_tracked) prune(now);
    it = buckets_.emplace(std::string(user), bucket{burst_, now}).first;
  }
  bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  retry_after_s = std::max(1u, static_cast<unsigned>(std::ceil((1.0 - b.tokens) / rate_)));
  return false;
}

void rate_limiter::prune(clock::time_point now) {
  // A bucket that would be full again carries no state worth keeping.
  std::erase_if(buckets_, [&](const auto& kv) {
    const double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
    return kv.second.tokens + elapsed * rate_ >= burst_;
  });
}

}  // namespace seatgate::http
