#include "redis/error.h"

#include <string>

namespace seatgate::redis {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "seatgate.redis"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::not_connected:
        return "not connected to Redis";
      case errc::connection_lost:
        return "connection to Redis lost with the command in flight";
      case errc::timeout:
        return "Redis command timed out";
      case errc::server_error:
        return "Redis replied with an error";
      case errc::protocol:
        return "Redis protocol error";
      case errc::shutting_down:
        return "Redis connection is shutting down";
      case errc::not_replicated:
        return "no Redis replica acknowledged the write in time";
      case errc::no_slot_owner:
        return "no Redis Cluster node serves the key's slot";
    }
    return "unknown seatgate.redis error " + std::to_string(ev);
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace seatgate::redis
