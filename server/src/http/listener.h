// Accepts connections on one acceptor and hands each socket to the next
// worker's io_context (round-robin).
#pragma once

#include <boost/asio/ip/tcp.hpp>
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
  void start();
  void stop();  // closes the acceptor (on its own thread)
  unsigned short port() const { return port_; }

 private:
  void do_accept();
  app& app_;
  net::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
};

}  // namespace seatgate::http
