// Helpers for the live Redis tests: drive an io_context on the test thread,
// await a coroutine, and a redis-server on a TCP port.
#pragma once

#include "redis/connection.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace seatgate::redis::testing {

namespace net = boost::asio;
using namespace std::chrono_literals;

// Runs `ioc` until pred() holds or `limit` passes; returns pred().
bool run_until(net::io_context& ioc, const std::function<bool()>& pred,
               std::chrono::milliseconds limit = 10s);

// Runs `ioc` for `d`, whatever happens.
void run_for(net::io_context& ioc, std::chrono::milliseconds d);

// Starts `a` on `ioc` and runs until it completes (nullopt after `limit`).
template <class T>
std::optional<T> await(net::io_context& ioc, net::awaitable<T> a,
                       std::chrono::milliseconds limit = 10s) {
  std::optional<T> out;
  net::co_spawn(ioc, std::move(a), [&out](std::exception_ptr e, T v) {
    if (e) std::rethrow_exception(e);
    out = std::move(v);
  });
  run_until(
      ioc, [&] { return out.has_value(); }, limit);
  return out;
}

// Options tuned for tests: quick backoff.
options test_options(std::string url);

// redis-server on 127.0.0.1:<free port>, optionally with a password.
class tcp_redis {
 public:
  explicit tcp_redis(std::string password = "");
  ~tcp_redis();
  tcp_redis(const tcp_redis&) = delete;
  tcp_redis& operator=(const tcp_redis&) = delete;
  int port() const { return port_; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  std::string dir_;
};

}  // namespace seatgate::redis::testing
