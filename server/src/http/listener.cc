#include "http/listener.h"

#include "app.h"
#include "http/session.h"
#include "util/log.h"

#include <boost/asio/post.hpp>

namespace seatgate::http {

listener::listener(app& a, net::io_context& ioc, const net::ip::tcp::endpoint& ep)
    : app_(a), acceptor_(ioc) {
  acceptor_.open(ep.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void listener::start() { do_accept(); }

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
  });
}

void listener::do_accept() {
  worker& w = app_.next_worker();
  acceptor_.async_accept(w.ioc, [self = shared_from_this(), &w](boost::system::error_code ec,
                                                                net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) {
      boost::system::error_code nec;
      socket.set_option(net::ip::tcp::no_delay(true), nec);
      // The session lives on its worker's thread from here on.
      net::post(w.ioc, [a = &self->app_, &w, s = std::move(socket)]() mutable {
        auto open = a->metrics().connections_open.load(std::memory_order_relaxed);
        if (open >= static_cast<std::int64_t>(a->cfg().max_connections) || a->stopping()) {
          refuse_connection(*a, w, std::move(s));
          return;
        }
        std::make_shared<session>(*a, w, std::move(s))->start();
      });
    } else if (ec == net::error::no_descriptors) {
      log::warn("accept failed: out of file descriptors");
    }
    self->do_accept();
  });
}

}  // namespace seatgate::http
