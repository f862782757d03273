// Request rate limits (429 rate_limited, docs/operations.md "Rate limits"): a
// token bucket per key (a user id, or a client address), one limiter shared by
// every I/O thread of the server. Buckets live in shards, each behind its own
// mutex, so threads contend only when their keys hash to the same shard; a
// key's requests meet one bucket whatever thread or connection carries them.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seatgate::http {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  // `rate` requests per second (> 0), bursts of up to `burst` (>= 1).
  rate_limiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  rate_limiter(const rate_limiter&) = delete;
  rate_limiter& operator=(const rate_limiter&) = delete;

  // True if the request may go ahead (a token is taken); else `retry_after_s`
  // is when the next token arrives (rounded up, at least 1). Thread-safe.
  bool allow(std::string_view key, clock::time_point now, unsigned& retry_after_s);

  std::size_t tracked() const;  // buckets held now, all shards

  double rate() const { return rate_; }
  double burst() const { return burst_; }

  static constexpr std::size_t k_shards = 64;
  // Buckets at most (k_max_tracked / k_shards per shard). A full shard first
  // drops its full buckets (no state worth keeping); if none is full, the one
  // idle longest goes, so memory stays bounded however many keys arrive.
  static constexpr std::size_t k_max_tracked = 100'000;
  static constexpr std::size_t k_max_per_shard = k_max_tracked / k_shards;
  // The shard a key's bucket lives in, 0..k_shards-1.
  static std::size_t shard_of(std::string_view key) { return text_hash{}(key) % k_shards; }

 private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  struct shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, bucket, text_hash, std::equal_to<>> buckets;
  };
  void make_room(shard& s, clock::time_point now) const;

  const double rate_, burst_;
  std::array<shard, k_shards> shards_;
};

// The per-IP limit's key for a client address: an IPv4 address as is (also
// when it arrives IPv4-mapped), an IPv6 address by its /64 prefix, the block
// one subscriber is usually given.
std::string client_key(const boost::asio::ip::address& address);

}  // namespace seatgate::http
