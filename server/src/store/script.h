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

boost::asio::awaitable<result<redis::reply>> run(redis::connection& conn, lua::script s,
                                                 std::vector<std::string> keys,
                                                 std::vector<std::string> args,
                                                 bool read_only = false);

}  // namespace seatgate::store
