#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace seatgate::http {

bool rate_limiter::allow(std::string_view key, clock::time_point now, unsigned& retry_after_s) {
  shard& s = shards_[shard_of(key)];
  std::lock_guard lock(s.mu);
  auto it = s.buckets.find(key);
  if (it == s.buckets.end()) {
    if (s.buckets.size() >= k_max_per_shard) make_room(s, now);
    it = s.buckets.emplace(std::string(key), bucket{burst_, now}).first;
  }
  bucket& b = it->second;
  // A clock read before another thread's later one must not give tokens back.
  if (now > b.last) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  const double wait = std::ceil((1.0 - b.tokens) / rate_);
  retry_after_s = wait >= 86400.0 ? 86400u : std::max(1u, static_cast<unsigned>(wait));
  return false;
}

std::size_t rate_limiter::tracked() const {
  std::size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

void rate_limiter::make_room(shard& s, clock::time_point now) const {
  // A bucket that would be full again carries no state worth keeping.
  std::erase_if(s.buckets, [&](const auto& kv) {
    const double elapsed = std::chrono::duration<double>(now - kv.second.last).count();
    return kv.second.tokens + elapsed * rate_ >= burst_;
  });
  if (s.buckets.size() < k_max_per_shard) return;
  auto stalest =
      std::min_element(s.buckets.begin(), s.buckets.end(),
                       [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
  s.buckets.erase(stalest);
}

std::string client_key(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
  if (a.is_v4()) return a.to_string();
  auto bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace seatgate::http
