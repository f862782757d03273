#include "http/session.h"

#include "app.h"
#include "http/problem.h"
#include "domain/result.h"
#include "http/cors.h"
#include "http/routes.h"
#include "live/hub.h"
#include "util/log.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <sstream>

#include <sys/socket.h>

namespace seatgate::http {

namespace {
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Framing the server cannot trust (RFC 9112 §6.1, §6.3, §3.2): a body length
// read differently by a proxy in front would let the body's bytes run as a
// request of their own. Checked on the header alone, before any body byte is
// read; a non-empty answer is the 400's detail.
std::string framing_problem(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& req = parser.get();
  const auto hosts = req.count(bhttp::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && req.version() >= 11) return "an HTTP/1.1 request needs a Host header";
  const auto codings = req.count(bhttp::field::transfer_encoding);
  if (codings == 0) return {};
  if (req.version() < 11) return "Transfer-Encoding is not allowed in HTTP/1.0";
  if (req.count(bhttp::field::content_length))
    return "Content-Length and Transfer-Encoding together";
  // Only "chunked" alone: no other coding is implemented.
  const bhttp::token_list list{req[bhttp::field::transfer_encoding]};
  auto it = list.begin();
  const bool only_chunked = codings == 1 && parser.chunked() && it != list.end() &&
                            beast::iequals(*it, "chunked") && ++it == list.end();
  if (!only_chunked) return "the only Transfer-Encoding accepted is chunked";
  return {};
}
}  // namespace

session::session(app& a, worker& w, net::ip::tcp::socket socket, ip_limiter::lease slot)
    : app_(a), worker_(w), stream_(std::move(socket)), slot_(std::move(slot)) {
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
  if (streaming_) {
    streaming_->ended = live::end_reason::shutdown;
    streaming_->notify();
  } else if (idle_) {
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
    const std::string bad_framing = ec ? std::string() : framing_problem(parser);
    bool body_timed_out = false;
    if (!ec && bad_framing.empty() && !parser.is_done()) {
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
    if (ec || !bad_framing.empty()) {
      // Answer what deserves an answer, then close: the stream position is lost.
      std::optional<errc> code;
      if (!bad_framing.empty())
        code = errc::invalid_request;
      else if (ec == bhttp::error::header_limit)
        code = errc::headers_too_large;
      else if (ec == bhttp::error::body_limit)
        code = errc::payload_too_large;
      else if (body_timed_out)
        code = errc::request_timeout;
      else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
               ec != net::error::operation_aborted && ec != net::error::connection_reset &&
               ec != net::error::eof && ec != net::error::bad_descriptor && parser.got_some())
        code = errc::invalid_request;
      if (code) {
        std::string detail = bad_framing;
        if (code == errc::payload_too_large)
          detail = "the body is larger than " + std::to_string(cfg.body_limit) + " bytes";
        auto res = make_problem(fail(*code, std::move(detail)), 11, false);
        // Echo the client's id when its field was parsed before the error
        // (fields are stored as they arrive), else a new one.
        std::string_view sent;
        if (parser.got_some()) sent = parser.get()["X-Request-Id"];
        res.set("X-Request-Id", request_id_for(sent));
        stream_.expires_after(std::chrono::seconds(5));
        auto [wec, wn] = co_await bhttp::async_write(stream_, res, use_tuple);
        app_.metrics().observe_request(metrics::route::other, res.result_int(), 0);
        if (!wec) co_await linger();
      }
      break;
    }
    auto req = parser.release();
    request_context ctx{*worker_.env, {}, {}, metrics::route::other, client_};
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
    if (ctx.stream && res.result() == bhttp::status::ok) {
      co_await stream(std::move(ctx.stream), std::move(res), req.version() >= 11);
      co_return;
    }
    ctx.stream.reset();
    stream_.expires_after(cfg.request_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream_, res, use_tuple);
    if (wec || !keep) break;
  }
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

net::awaitable<void> session::linger() {
  // Closing with unread bytes in the socket sends a reset, which may destroy
  // the answer before the client reads it: end our side, then read and drop
  // what the client still sends, bounded in bytes and time.
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.expires_after(std::chrono::seconds(2));
  char scratch[4096];
  for (std::size_t total = 0; total < 64 * 1024;) {
    auto [rec, n] = co_await stream_.async_read_some(net::buffer(scratch), use_tuple);
    if (rec) break;
    total += n;
  }
}

void refuse_connection(app& a, net::ip::tcp::socket socket, std::string detail) {
  auto res = make_problem(error{errc::unavailable, std::move(detail), true, 1}, 11, false);
  std::ostringstream wire;
  wire << res;
  const std::string bytes = wire.str();
  const int fd = socket.native_handle();
  // A new connection's send buffer is empty: the answer fits without waiting.
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
  // Closing over unread bytes resets the connection, which may destroy the
  // answer: drop what the client sent already (bounded).
  char scratch[4096];
  for (int i = 0; i < 16 && ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; ++i) {
  }
  boost::system::error_code ec;
  socket.close(ec);
  a.metrics().observe_request(metrics::route::other, 503, 0);
}

}  // namespace seatgate::http
