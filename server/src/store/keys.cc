#include "store/keys.h"

namespace seatgate::store {

std::string event_prefix(std::string_view event_id) {
  std::string p;
  p.reserve(event_id.size() + 8);
  p.append("sg:{e:").append(event_id).append("}:");
  return p;
}

std::string event_keys::join(std::string_view kind, std::string_view id) const {
  std::string k;
  k.reserve(p_.size() + kind.size() + id.size());
  k.append(p_).append(kind).append(id);
  return k;
}

std::string event_keys::user_recent(std::string_view user) const { return join("rl:", user); }
std::string event_keys::pass(std::string_view token) const { return join("pass:", token); }

std::string event_keys::idempotency(std::string_view user, std::string_view key) const {
  const std::string len = std::to_string(user.size());
  std::string k;
  k.reserve(p_.size() + len.size() + user.size() + key.size() + 7);
  k.append(p_).append("idem:").append(len).append(":").append(user).append(":").append(key);
  return k;
}

}  // namespace seatgate::store
