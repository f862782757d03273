// Redis failures as boost::system::error_code, in their own category.
#pragma once

#include <boost/system/error_code.hpp>

namespace seatgate::redis {

enum class errc {
  not_connected = 1,  // no live connection (connecting / reconnecting)
  connection_lost,    // the connection dropped with the command in flight
  timeout,            // no reply within the command timeout
  server_error,       // Redis answered an error reply (other than NOSCRIPT)
  protocol,           // hiredis reported a protocol / out-of-memory error
  shutting_down,      // the connection was stopped
  not_replicated,     // Redis Cluster: no replica acknowledged a durable write in time
  no_slot_owner,      // Redis Cluster: no node serves the key's slot (or no map yet)
};

const boost::system::error_category& category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

}  // namespace seatgate::redis

namespace boost::system {
template <>
struct is_error_code_enum<seatgate::redis::errc> : std::true_type {};
}  // namespace boost::system
