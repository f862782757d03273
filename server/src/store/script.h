// Runs one script call and splits its reply: the {"OK", ...} reply, or the
// error it carries (store/decode.h). The one run-then-map step of every
// service.
#pragma once

#include "domain/result.h"
#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace seatgate::store {

// A confirmation is what a buyer is told about: on a cluster with replicas a
// replica must have it before it is answered (docs/operations.md, Redis
// Cluster). True for the scripts whose calls are sent durable.
inline bool is_durable(lua::script s) { return s == lua::script::confirm_reservation; }

boost::asio::awaitable<result<redis::reply>> run(redis::connection& conn, lua::script s,
                                                 std::vector<std::string> keys,
                                                 std::vector<std::string> args,
                                                 bool read_only = false);

}  // namespace seatgate::store
