// One pipelined hiredis async connection, attached to one io_context
// (single-threaded: all calls must come from that io_context's thread).
//
// - start(): connects in the background; on failure or loss it reconnects
//   with exponential backoff (min..max). After every (re)connect it runs
//   SCRIPT LOAD for every embedded script before ready() turns true.
// - command()/eval() complete with an error_code (redis::errc) when not
//   connected, when the connection is lost with the command in flight, or on
//   the command timeout. They never throw.
// - eval() calls EVALSHA; on a NOSCRIPT error it loads the script again and
//   retries exactly once (counted in stats().noscript_reloads).
#pragma once

#include "redis/error.h"
#include "redis/reply.h"
#include "redis/stats.h"

#include <seatgate/lua_scripts.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

namespace seatgate::redis {

namespace net = boost::asio;

struct options {
  std::string url = "redis://127.0.0.1:6379";  // or unix:///path/to/socket
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{2000};
  std::chrono::milliseconds backoff_min{50};
  std::chrono::milliseconds backoff_max{2000};
};

using result = std::pair<boost::system::error_code, reply>;

class connection {
 public:
  connection(net::any_io_executor ex, options opts, stats& st);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void start();
  // Stops reconnecting, fails pending commands with errc::shutting_down.
  void stop();
  // Connected and every script loaded.
  bool ready() const noexcept;

  net::awaitable<result> command(command argv);
  net::awaitable<result> eval(lua::script s, std::vector<std::string> keys,
                              std::vector<std::string> args);

  // SHA1 of a script as loaded (known before the first connect).
  const std::string& sha(lua::script s) const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace seatgate::redis
