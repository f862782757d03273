#include "http/session.h"

#include "app.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "util/log.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

namespace seatgate::http {

namespace {
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
}

session::session(app& a, worker& w, net::ip::tcp::socket socket)
    : app_(a), worker_(w), stream_(std::move(socket)) {
  beast::error_code ec;
  const auto peer = stream_.socket().remote_endpoint(ec);
  if (!ec) client_ = client_key(peer.address());
  worker_.sessions.insert(this);
  app_.metrics().connections_open.fetch_add(1, std::memory_order_relaxed);
}

session::~session() {
  worker_.sessions.erase(this);
  app_.metrics().connections_open.fetch_sub(1, std::memory_order_relaxed);
}

void session::start() {
  net::co_spawn(
      worker_.ioc, [self = shared_from_this()] { return self->run(); }, net::detached);
}

void session::close_if_idle() {
  if (idle_) {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }
}

net::awaitable<void> session::run() {
  const auto& cfg = app_.cfg();
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(cfg.header_limit));
    parser.body_limit(cfg.body_limit);
    idle_ = buffer.size() == 0;
    if (app_.stopping() && idle_) break;
    stream_.expires_after(cfg.idle_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream_, buffer, parser, use_tuple);
    idle_ = false;
    beast::error_code ec = hec;
    bool body_timed_out = false;
    if (!ec && !parser.is_done()) {
      // Not the stream's own expiry: that closes the socket, and a client too
      // slow with its body deserves a 408 before the connection goes.
      stream_.expires_never();
      // 0 = reading, 1 = read finished, 2 = timed out. The handler may run
      // after the read finished (both completions queued): it checks first.
      auto state = std::make_shared<int>(0);
      net::steady_timer deadline(worker_.ioc, cfg.request_timeout);
      deadline.async_wait([self = shared_from_this(), state](beast::error_code e) {
        if (e || *state != 0) return;
        *state = 2;
        beast::error_code ignored;
        self->stream_.socket().cancel(ignored);
      });
      auto [bec, bn] = co_await bhttp::async_read(stream_, buffer, parser, use_tuple);
      if (*state == 0) *state = 1;
      deadline.cancel();
      body_timed_out = *state == 2;
      ec = bec;
    }
    const auto start = std::chrono::steady_clock::now();
    if (ec) {
      // Answer what deserves an answer, then close: the stream position is lost.
      std::string code;
      if (ec == bhttp::error::header_limit)
        code = "headers_too_large";
      else if (ec == bhttp::error::body_limit)
        code = "payload_too_large";
      else if (body_timed_out)
        code = "request_timeout";
      else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
               ec != net::error::operation_aborted && ec != net::error::connection_reset &&
               ec != net::error::eof && ec != net::error::bad_descriptor && parser.got_some())
        code = "invalid_request";
      if (!code.empty()) {
        auto res = make_problem(
            {code, code == "payload_too_large"
                       ? "the body is larger than " + std::to_string(cfg.body_limit) + " bytes"
                       : std::string(lookup(code).title)},
            11, false);
        // Echo the client's id when its field was parsed before the error
        // (fields are stored as they arrive), else a new one.
        std::string_view sent;
        if (parser.got_some()) sent = parser.get()["X-Request-Id"];
        res.set("X-Request-Id", request_id_for(sent));
        stream_.expires_after(std::chrono::seconds(5));
        co_await bhttp::async_write(stream_, res, use_tuple);
        app_.metrics().observe_request(metrics::route::other, res.result_int(), 0);
      }
      break;
    }
    auto req = parser.release();
    request_context ctx{app_, worker_, {}, {}, metrics::route::other, client_};
    response res = co_await handle_request(req, ctx);
    const bool keep = res.keep_alive() && !app_.stopping();
    res.keep_alive(keep);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    app_.metrics().observe_request(ctx.route, res.result_int(), secs);
    if (cfg.access_log) {
      const std::string_view target = req.target();
      log::access({req.method_string(), target.substr(0, target.find('?')), res.result_int(),
                   secs * 1000.0, ctx.request_id, ctx.user});
    }
    stream_.expires_after(cfg.request_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream_, res, use_tuple);
    if (wec || !keep) break;
  }
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

void refuse_connection(app& a, worker& w, net::ip::tcp::socket socket) {
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  auto res = std::make_shared<response>(
      make_problem({"unavailable", "too many connections", true, 1}, 11, false));
  stream->expires_after(std::chrono::seconds(2));
  a.metrics().observe_request(metrics::route::other, 503, 0);
  bhttp::async_write(*stream, *res, [stream, res](beast::error_code, std::size_t) {
    beast::error_code ec;
    stream->socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  });
  (void)w;
}

}  // namespace seatgate::http
