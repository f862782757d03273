// The key layout version of the data in Redis (docs/redis-schema.md, Layout
// version). The server checks it once at start, before it reports ready:
// an empty store, or one already at this layout, is stamped with
// `k_layout_version`; a store written by an older seatgate (another
// version, or no version and events whose zones have keys of their own) is
// refused, with what to do about it.
#pragma once

#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <string>

namespace seatgate::store {

struct layout_check {
  enum class verdict { ok, refused, unavailable } outcome = verdict::unavailable;
  std::string detail;  // refused: the message for the operator; unavailable: the error
};

boost::asio::awaitable<layout_check> check_layout(redis::connection& conn);

}  // namespace seatgate::store
