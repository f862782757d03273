// A Redis reply as an owned value, converted from hiredis's redisReply.
// Building commands, sending them and parsing replies are separate steps;
// this is the pure "parse" step.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace seatgate::redis {

struct reply {
  enum class kind { nil, integer, string, status, error, array };
  kind type = kind::nil;
  long long integer = 0;        // kind::integer
  std::string str;              // kind::string / status / error
  std::vector<reply> elements;  // kind::array

  bool is_error() const { return type == kind::error; }
  bool is_array() const { return type == kind::array; }
};

// Deep-copies a hiredis reply (nullptr -> nil).
reply from_hiredis(const redisReply* r);

// An argv vector as redisAsyncCommandArgv wants it; strings are binary-safe.
using command = std::vector<std::string>;

}  // namespace seatgate::redis
