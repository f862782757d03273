// One-shot HTTP calls for setup and checks (admin PUT, audit, readiness):
// a fresh connection per call, bounded by a timeout. Not for the hot path.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace seatgate::bench {

struct http_result {
  int status = 0;  // 0 when no response arrived
  std::string body;
  std::string error;  // why there is no response
};

http_result http_call(const std::string& host, const std::string& port, std::string_view method,
                      const std::string& target, std::string_view bearer, const std::string& body,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace seatgate::bench
