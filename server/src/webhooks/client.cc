#include "webhooks/client.h"

#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace seatgate::webhooks {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

outbox::post_result failure(std::string why) { return {0, std::move(why)}; }

// Writes the request and reads the answer's status on a connected stream.
template <class Stream>
net::awaitable<outbox::post_result> exchange(Stream& s, const outbox::target& t,
                                             const outbox::headers& h, std::string body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.path, 11};
  const bool default_port = t.port == (t.tls ? 443 : 80);
  const bool v6 = t.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + t.host + "]" : t.host;
  if (!default_port) host += ":" + std::to_string(t.port);
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::user_agent, "seatgate-webhooks/1");
  req.set(bhttp::field::content_type, "application/json");
  req.set(bhttp::field::connection, "close");
  for (const auto& [k, v] : h) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  auto [wec, wn] = co_await bhttp::async_write(s, req, use_tuple);
  if (wec) co_return failure("write: " + wec.message());
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  auto [rec, rn] = co_await bhttp::async_read_header(s, buf, parser, use_tuple);
  if (rec) co_return failure("read: " + rec.message());
  const unsigned status = parser.get().result_int();
  outbox::post_result r{status, {}};
  if (!r.ok()) r.error = "answered " + std::to_string(status);
  co_return r;
}

}  // namespace

client::client(bool allow_private, std::chrono::milliseconds timeout, const std::string& ca_file)
    : allow_private_(allow_private),
      timeout_(timeout),
      tls_(std::make_unique<net::ssl::context>(net::ssl::context::tls_client)) {
  boost::system::error_code ec;
  tls_->set_default_verify_paths(ec);
  if (!ca_file.empty()) {
    tls_->load_verify_file(ca_file, ec);
    if (ec)
      throw std::runtime_error("--webhook-ca-file " + ca_file + ": " + ec.message());
  }
  tls_->set_verify_mode(net::ssl::verify_peer);
}

net::awaitable<outbox::post_result> client::post(const outbox::target& t, outbox::headers h,
                                                 std::string body) {
  auto ex = co_await net::this_coro::executor;
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  tcp::resolver resolver(ex);
  auto [rec, found] = co_await resolver.async_resolve(t.host, std::to_string(t.port), use_tuple);
  if (rec) co_return failure("resolve " + t.host + ": " + rec.message());
  std::vector<tcp::endpoint> allowed;
  std::string refused;
  for (const auto& e : found) {
    if (auto why = outbox::refuse_address(e.endpoint().address(), t.tls, allow_private_))
      refused = *why;
    else
      allowed.push_back(e.endpoint());
  }
  if (allowed.empty()) co_return failure(refused.empty() ? "no address" : "refused: " + refused);
  beast::tcp_stream tcp_s(ex);
  tcp_s.expires_at(deadline);
  auto [cec, ep] = co_await tcp_s.async_connect(allowed, use_tuple);
  if (cec) co_return failure("connect: " + cec.message());
  if (!t.tls) co_return co_await exchange(tcp_s, t, h, std::move(body));

  beast::ssl_stream<beast::tcp_stream> tls_s(std::move(tcp_s), *tls_);
  if (!SSL_set_tlsext_host_name(tls_s.native_handle(), t.host.c_str()))
    co_return failure("tls: cannot set the server name");
  tls_s.set_verify_callback(net::ssl::host_name_verification(t.host));
  auto [hec] = co_await tls_s.async_handshake(net::ssl::stream_base::client, use_tuple);
  if (hec) co_return failure("tls: " + hec.message());
  co_return co_await exchange(tls_s, t, h, std::move(body));
}

outbox::poster client::as_poster() {
  return [this](const outbox::target& t, outbox::headers h, std::string body) {
    return post(t, std::move(h), std::move(body));
  };
}

}  // namespace seatgate::webhooks
