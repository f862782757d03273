// One synchronous command on a hiredis context, for the test harnesses
// (redis_server, redis_cluster).
#pragma once

#include "redis_server.h"

#include <string>
#include <vector>

namespace seatgate::test {

// Runs argv (binary-safe) on `c`; nullptr when the connection fails.
reply_ptr command_on(redisContext* c, const std::vector<std::string>& argv);

}  // namespace seatgate::test
