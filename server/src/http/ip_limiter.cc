#include "http/ip_limiter.h"

namespace seatgate::http {

ip_limiter::lease& ip_limiter::lease::operator=(lease&& o) noexcept {
  if (this != &o) {
    if (owner_) owner_->release(key_);
    owner_ = o.owner_;
    key_ = o.key_;
    o.owner_ = nullptr;
  }
  return *this;
}

ip_limiter::lease::~lease() {
  if (owner_) owner_->release(key_);
}

net::ip::address ip_limiter::key_of(const net::ip::address& addr) {
  if (!addr.is_v6()) return addr;
  auto v6 = addr.to_v6();
  if (v6.is_v4_mapped()) return v6;
  auto bytes = v6.to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return net::ip::address_v6(bytes);
}

std::optional<ip_limiter::lease> ip_limiter::acquire(const net::ip::address& addr) {
  if (per_ip_ == 0) return lease();
  const auto key = key_of(addr);
  std::lock_guard lock(mu_);
  auto& n = counts_[key];
  if (n >= per_ip_) {
    return std::nullopt;
  }
  ++n;
  return lease(this, key);
}

std::size_t ip_limiter::count(const net::ip::address& addr) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key_of(addr));
  return it == counts_.end() ? 0 : it->second;
}

void ip_limiter::release(const net::ip::address& key) {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  if (it == counts_.end()) return;
  if (--it->second == 0) counts_.erase(it);
}

}  // namespace seatgate::http
