#include "store/keys.h"

namespace seatgate::store {

namespace {

std::string user_slot(std::string_view user, std::string_view name) {
  std::string k;
  k.reserve(user.size() + name.size() + 8);
  k.append("sg:{u:").append(user).append("}:").append(name);
  return k;
}

}  // namespace

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
std::string event_keys::user_pass(std::string_view user) const { return join("qp:", user); }
std::string event_keys::user_revoked(std::string_view user) const { return join("qrv:", user); }
std::string event_keys::pass(std::string_view token) const { return join("pass:", token); }
std::string event_keys::admits(std::int64_t second) const {
  return join("admits:", std::to_string(second));
}

std::string event_keys::idempotency(std::string_view user, std::string_view key) const {
  const std::string len = std::to_string(user.size());
  std::string k;
  k.reserve(p_.size() + len.size() + user.size() + key.size() + 7);
  k.append(p_).append("idem:").append(len).append(":").append(user).append(":").append(key);
  return k;
}

std::string user_queues_key(std::string_view user) { return user_slot(user, "queues"); }
std::string user_gen_key(std::string_view user) { return user_slot(user, "qgen"); }

}  // namespace seatgate::store
