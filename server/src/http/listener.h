// Accepts connections on one acceptor and hands each socket to the next
// worker's io_context (round-robin).
//
// Accept errors (EMFILE/ENFILE when descriptors run out, ENOBUFS, ...) would
// otherwise make the acceptor retry at once, forever: it backs off instead
// (10 ms doubling to 1 s, reset by the next success), logs at most one line a
// second, and on running out of descriptors closes the pending connections
// with the help of a reserve descriptor, so clients see a close, not a hang.
#pragma once

#include "util/log_throttle.h"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

namespace seatgate {
class app;
}

namespace seatgate::http {

namespace net = boost::asio;

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds and listens; throws boost::system::system_error on failure.
  listener(app& a, net::io_context& ioc, const net::ip::tcp::endpoint& ep);
  ~listener();
  void start();
  void stop();  // closes the acceptor (on its own thread)
  unsigned short port() const { return port_; }

  static constexpr std::chrono::milliseconds k_backoff_min{10};
  static constexpr std::chrono::milliseconds k_backoff_max{1000};

 private:
  void do_accept();
  void on_accept_error(const boost::system::error_code& ec);
  // Out of descriptors: frees the reserve, accepts and closes what is
  // pending, takes the reserve again. Returns how many were closed.
  std::size_t shed_pending();
  app& app_;
  net::ip::tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::chrono::milliseconds backoff_{0};
  int reserve_fd_ = -1;
  log::throttle error_log_;
  std::uint64_t closed_since_log_ = 0;
  // Accepted sockets posted to a worker that are no session yet: with
  // connections_open, what --max-connections compares against.
  std::atomic<std::int64_t> handing_over_{0};  // by shed_pending(), since the last log line
  unsigned short port_ = 0;
};

}  // namespace seatgate::http
