#include "store/room_keys.h"

namespace seatgate::store {

namespace {

std::string user_slot(std::string_view user, std::string_view name) {
  std::string k;
  k.reserve(user.size() + name.size() + 8);
  k.append("sg:{u:").append(user).append("}:").append(name);
  return k;
}

}  // namespace

std::string room_keys::user_pass(std::string_view user) const {
  return prefix() + "qp:" + std::string(user);
}

std::string room_keys::user_revoked(std::string_view user) const {
  return prefix() + "qrv:" + std::string(user);
}

std::string user_queues_key(std::string_view user) { return user_slot(user, "queues"); }
std::string user_gen_key(std::string_view user) { return user_slot(user, "qgen"); }

}  // namespace seatgate::store
