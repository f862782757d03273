// One HTTP/1.1 connection: read a request, hand it to handle_request, write
// the response, repeat while keep-alive. Runs on its worker's io_context (one
// thread), so it needs no strand.
#pragma once

#include "http/context.h"
#include "http/ip_limiter.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace seatgate {
class app;
struct worker;
}  // namespace seatgate

namespace seatgate::live {
struct subscriber;
}  // namespace seatgate::live

namespace seatgate::http {

namespace net = boost::asio;
namespace beast = boost::beast;

class session : public std::enable_shared_from_this<session> {
 public:
  // `slot` is the connection's place under --max-connections-per-ip, held
  // for the session's life.
  session(app& a, worker& w, net::ip::tcp::socket socket, ip_limiter::lease slot);
  ~session();
  void start();
  // Closes the connection if it is waiting for a new request, and ends a
  // live availability stream (shutdown).
  void close_if_idle();

 private:
  net::awaitable<void> run();
  // After an error answer: lets the answer reach the client before the close.
  net::awaitable<void> linger();
  // After the stream route's 200 (http/event_stream.cc): writes the header,
  // then the subscription's messages until the stream ends; closes.
  net::awaitable<void> stream(std::shared_ptr<live::subscription> sub, response head,
                              bool chunked);
  // Writes `bytes`; false on an error. `timed_out`: it took longer than `limit`.
  net::awaitable<bool> write_within(std::string_view bytes, std::chrono::milliseconds limit,
                                    bool& timed_out);
  app& app_;
  worker& worker_;
  beast::tcp_stream stream_;
  std::string client_;  // the per-IP rate limit's key for the peer
  bool idle_ = true;
  ip_limiter::lease slot_;
  std::shared_ptr<live::subscriber> streaming_;  // set while streaming
};

// Answers a connection over a connection limit with 503 `unavailable`
// (`detail` says which) and closes it, at once, on the calling thread.
void refuse_connection(app& a, net::ip::tcp::socket socket, std::string detail);

}  // namespace seatgate::http
