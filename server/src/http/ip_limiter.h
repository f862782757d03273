// Open connections per client address (--max-connections-per-ip). The
// acceptor takes a lease for each accepted socket; the session that owns the
// socket gives it back when it ends, on its own I/O thread: the counts are
// shared across threads, under a mutex (one lookup per connection, not per
// request). IPv6 clients count per /64 (one host usually owns a whole /64);
// IPv4 and IPv4-mapped addresses per address.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace seatgate::http {

namespace net = boost::asio;

class ip_limiter {
 public:
  explicit ip_limiter(std::size_t per_ip) : per_ip_(per_ip) {}
  ip_limiter(const ip_limiter&) = delete;
  ip_limiter& operator=(const ip_limiter&) = delete;

  // One connection's slot; released when destroyed. Empty (no limiter) when
  // the limit is off.
  class lease {
   public:
    lease() = default;
    lease(lease&& o) noexcept : owner_(o.owner_), key_(o.key_) { o.owner_ = nullptr; }
    lease& operator=(lease&& o) noexcept;
    ~lease();

   private:
    friend class ip_limiter;
    lease(ip_limiter* owner, const net::ip::address& key) : owner_(owner), key_(key) {}
    ip_limiter* owner_ = nullptr;
    net::ip::address key_;
  };

  // A lease for one more connection from `addr`; nullopt when that address
  // already holds the limit.
  std::optional<lease> acquire(const net::ip::address& addr);
  // Connections `addr` holds now (tests, diagnostics).
  std::size_t count(const net::ip::address& addr);

 private:
  static net::ip::address key_of(const net::ip::address& addr);
  void release(const net::ip::address& key);

  const std::size_t per_ip_;  // 0 = off
  std::mutex mu_;
  std::unordered_map<net::ip::address, std::size_t> counts_;
};

}  // namespace seatgate::http
