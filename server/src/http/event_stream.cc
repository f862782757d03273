// The session's streaming half: after GET /v1/events/{id}/stream answered
// 200, the connection stops reading requests and writes the stream's
// messages (live/hub.h fills the outbox) until the client leaves, the
// subscriber is dropped, or the server shuts down. While it waits with
// nothing queued, the hub writes changes to the socket itself (one
// non-blocking send each); this loop writes what did not go at once.
#include "app.h"
#include "http/session.h"
#include "live/hub.h"
#include "live/messages.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

namespace seatgate::http {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// Kernel send buffer of a stream socket: messages are small and a stalled
// reader should stall (and be dropped) without the kernel holding megabytes.
constexpr int k_stream_sndbuf = 32 * 1024;

}  // namespace

net::awaitable<bool> session::write_within(std::string_view bytes,
                                           std::chrono::milliseconds limit, bool& timed_out) {
  auto& socket = stream_.socket();
  // 0 = writing, 1 = done, 2 = timed out (the handler checks: both may be queued).
  auto state = std::make_shared<int>(0);
  net::steady_timer deadline(worker_.ioc, limit);
  deadline.async_wait([self = shared_from_this(), state](beast::error_code e) {
    if (e || *state != 0) return;
    *state = 2;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
  auto [ec, n] = co_await net::async_write(socket, net::buffer(bytes.data(), bytes.size()),
                                           use_tuple);
  if (*state == 0) *state = 1;
  deadline.cancel();
  timed_out = *state == 2;
  co_return !ec;
}

net::awaitable<void> session::stream(std::shared_ptr<live::subscription> sub, response head,
                                     bool chunked) {
  const auto& cfg = app_.cfg();
  stream_.expires_never();
  auto& socket = stream_.socket();
  beast::error_code ec;
  socket.set_option(net::socket_base::send_buffer_size(k_stream_sndbuf), ec);
  live::subscriber& s = *sub->sub;
  streaming_ = sub->sub;

  bhttp::response<bhttp::empty_body> header{std::move(head.base())};
  if (chunked) header.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{header};
  bool timed_out = false;
  stream_.expires_after(cfg.request_timeout);
  auto [hec, hn] = co_await bhttp::async_write_header(stream_, sr, use_tuple);
  stream_.expires_never();
  bool open = !hec;
  // The hub's direct writes must not block the thread (live/hub.h).
  socket.non_blocking(true, ec);
  s.chunked = chunked;
  s.last_write = std::chrono::steady_clock::now();

  // The client sends nothing more; a read ends when it closes the connection.
  auto gone = std::make_shared<bool>(false);
  if (open) {
    net::co_spawn(
        worker_.ioc,
        [self = shared_from_this(), gone, wake = sub->sub]() -> net::awaitable<void> {
          char scratch[512];
          for (;;) {
            auto [rec, n] =
                co_await self->stream_.socket().async_read_some(net::buffer(scratch), use_tuple);
            if (rec) break;
          }
          *gone = true;
          wake->notify();
        },
        net::detached);
  }

  std::string out;
  while (open && !*gone && s.ended == live::end_reason::none) {
    if (s.quiet()) {
      // Nothing written for a whole heartbeat (by the hub or here): a comment.
      const auto silent = std::chrono::steady_clock::now() - s.last_write;
      if (silent >= cfg.stream_heartbeat) {
        s.outbox.push_back(std::make_shared<const std::string>(live::k_heartbeat));
        continue;
      }
      s.wake.expires_after(cfg.stream_heartbeat - silent);
      s.idle_socket = &socket;
      co_await s.wake.async_wait(use_tuple);
      s.idle_socket = nullptr;
      continue;
    }
    out.swap(s.unsent);  // a direct write's rest goes first
    s.unsent.clear();
    for (const auto& m : s.outbox) live::append_framed(out, *m, chunked);
    s.outbox.clear();
    open = co_await write_within(out, cfg.request_timeout, timed_out);
    s.last_write = std::chrono::steady_clock::now();
    if (timed_out) {
      // The client took nothing for a whole deadline: gone or stuck.
      s.ended = live::end_reason::stalled;
      app_.metrics().stream_dropped_stalled.fetch_add(1, std::memory_order_relaxed);
    }
  }
  s.idle_socket = nullptr;
  if (open && !*gone && s.ended == live::end_reason::shutdown && chunked) {
    // Shutdown: end the body properly, so the client sees a clean end.
    co_await write_within("0\r\n\r\n", std::chrono::milliseconds(1000), timed_out);
  }
  streaming_.reset();
  sub.reset();  // unsubscribes and gives the place back
  socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace seatgate::http
