#include "http/listener.h"

#include "app.h"
#include "http/session.h"
#include "util/log.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>

namespace seatgate::http {

namespace {

int open_reserve() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors ||
         (ec.category() == boost::system::system_category() && ec.value() == ENFILE);
}

}  // namespace

listener::listener(app& a, net::io_context& ioc, const net::ip::tcp::endpoint& ep)
    : app_(a), acceptor_(ioc), retry_(ioc), reserve_fd_(open_reserve()) {
  acceptor_.open(ep.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(net::socket_base::max_listen_connections);
  acceptor_.native_non_blocking(true);  // shed_pending() calls accept4 itself
  port_ = acceptor_.local_endpoint().port();
}

listener::~listener() {
  if (reserve_fd_ >= 0) ::close(reserve_fd_);
}

void listener::start() { do_accept(); }

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void listener::do_accept() {
  worker& w = app_.next_worker();
  acceptor_.async_accept(w.ioc, [self = shared_from_this(), &w](boost::system::error_code ec,
                                                                net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      self->on_accept_error(ec);
      return;
    }
    self->backoff_ = std::chrono::milliseconds(0);
    boost::system::error_code nec;
    socket.set_option(net::ip::tcp::no_delay(true), nec);
    const auto peer = socket.remote_endpoint(nec);
    if (nec) {  // gone already (reset before we got to it)
      self->do_accept();
      return;
    }
    // Refusals happen here, at once: a socket waiting on a busy worker to be
    // refused would hold its descriptor meanwhile, and a burst of them could
    // exhaust the descriptors the cap is there to protect.
    app& a = self->app_;
    auto lease = a.ip_limits().acquire(peer.address());
    if (!lease) {
      a.metrics().refused_per_ip.fetch_add(1, std::memory_order_relaxed);
      refuse_connection(a, std::move(socket), "too many connections from this address");
      self->do_accept();
      return;
    }
    const auto held = a.metrics().connections_open.load(std::memory_order_relaxed) +
                      self->handing_over_.load(std::memory_order_relaxed);
    if (held >= static_cast<std::int64_t>(a.cfg().max_connections) || a.stopping()) {
      if (!a.stopping())
        a.metrics().refused_max_connections.fetch_add(1, std::memory_order_relaxed);
      refuse_connection(a, std::move(socket), "too many connections");
      self->do_accept();
      return;
    }
    // The session lives on its worker's thread from here on. Until it exists
    // (and counts itself open), the socket counts as being handed over.
    self->handing_over_.fetch_add(1, std::memory_order_relaxed);
    net::post(w.ioc, [self, &w, s = std::move(socket), l = std::move(*lease)]() mutable {
      app& a = self->app_;
      if (a.stopping())
        refuse_connection(a, std::move(s), "shutting down");
      else
        std::make_shared<session>(a, w, std::move(s), std::move(l))->start();
      self->handing_over_.fetch_sub(1, std::memory_order_relaxed);
    });
    self->do_accept();
  });
}

void listener::on_accept_error(const boost::system::error_code& ec) {
  app_.metrics().accept_errors.fetch_add(1, std::memory_order_relaxed);
  if (out_of_descriptors(ec)) closed_since_log_ += shed_pending();
  backoff_ = backoff_.count() == 0 ? k_backoff_min : std::min(backoff_ * 2, k_backoff_max);
  std::uint64_t suppressed = 0;
  if (error_log_.allow(suppressed)) {
    log::warn("accept failed", {{"error", ec.message()},
                                {"closed_pending", closed_since_log_},
                                {"suppressed", suppressed},
                                {"retry_ms", backoff_.count()}});
    closed_since_log_ = 0;
  }
  retry_.expires_after(backoff_);
  retry_.async_wait([self = shared_from_this()](boost::system::error_code tec) {
    if (tec || !self->acceptor_.is_open()) return;
    self->do_accept();
  });
}

std::size_t listener::shed_pending() {
  if (reserve_fd_ < 0) reserve_fd_ = open_reserve();
  if (reserve_fd_ < 0) return 0;
  ::close(reserve_fd_);
  reserve_fd_ = -1;
  // The acceptor is non-blocking: this ends at EAGAIN, or after a batch (a
  // listen backlog's usual size) so the thread goes back to its sessions.
  std::size_t n = 0;
  while (n < 4096) {
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;
    }
    ::close(fd);
    ++n;
  }
  reserve_fd_ = open_reserve();
  return n;
}

}  // namespace seatgate::http
