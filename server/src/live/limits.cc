#include "live/limits.h"

namespace seatgate::live {

limits::lease::~lease() {
  if (owner_) owner_->release(key_);
}

limits::outcome limits::acquire(std::string_view client) {
  std::lock_guard lock(mu_);
  if (total_ >= max_total_) return {std::nullopt, refusal::server_full};
  std::string key(client);
  if (per_ip_ > 0) {
    auto& n = counts_[key];
    if (n >= per_ip_) return {std::nullopt, refusal::address_full};
    ++n;
  }
  ++total_;
  return {lease(this, std::move(key)), refusal::server_full};
}

void limits::release(const std::string& key) {
  std::lock_guard lock(mu_);
  --total_;
  if (per_ip_ == 0) return;
  auto it = counts_.find(key);
  if (it != counts_.end() && --it->second == 0) counts_.erase(it);
}

}  // namespace seatgate::live
