#include "http_transport.h"

#include <httplib.h>

#include <chrono>

#include "cancel.h"

namespace seatgate::detail {

std::pair<std::string, std::string> split_base(const std::string& url) {
  auto scheme_end = url.find("://");
  auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, ""};
  std::string prefix = url.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return {url.substr(0, path_start), prefix};
}

http_transport::http_transport(std::string base_url, milliseconds connect_timeout)
    : base_url_(std::move(base_url)), connect_timeout_(connect_timeout) {}

http_transport::~http_transport() = default;

std::unique_ptr<httplib::Client> http_transport::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<httplib::Client>(split_base(base_url_).first);
  c->set_keep_alive(true);
  c->set_follow_location(false);
  return c;
}

void http_transport::give_back(std::unique_ptr<httplib::Client> c) {
  std::lock_guard lock(mu_);
  if (idle_.size() < 64) idle_.push_back(std::move(c));
}

transport_outcome http_transport::perform(const http_request& req, cancel_state* cancel) {
  transport_outcome out;
  std::unique_ptr<httplib::Client> c;
  try {
    c = acquire();
  } catch (const std::exception& e) {
    out.detail = e.what();
    return out;
  }
  if (!c->is_valid()) {
    out.detail = "invalid base URL " + base_url_;
    return out;
  }
  const auto timeout = std::max(req.timeout, milliseconds(1));
  c->set_connection_timeout(std::min(connect_timeout_, timeout));
  c->set_read_timeout(timeout);
  c->set_write_timeout(timeout);

  httplib::Request hreq;
  hreq.method = req.method;
  hreq.path = split_base(base_url_).second + req.path;
  for (const auto& [k, v] : req.headers) hreq.headers.emplace(k, v);
  hreq.body = req.body;
  // A conditional GET (the seat map's If-None-Match) may be answered 304
  // with no Content-Length; this cpp-httplib reads such a response's body to
  // the end of the connection, so ask the server to end it after answering.
  if (hreq.has_header("If-None-Match")) hreq.set_header("Connection", "close");

  // The abort hook points at this pooled connection: remove() below waits for
  // a cancel() running it, so the connection is never stopped after it went
  // back to the pool (serving another call) or was destroyed.
  httplib::Client* raw = c.get();
  cancel_state::registration reg = 0;
  if (cancel) {
    reg = cancel->add([raw] { raw->stop(); });
    if (reg == 0) {
      out.cancelled = true;
      give_back(std::move(c));
      return out;
    }
  }
  out.sent = true;
  const auto t0 = std::chrono::steady_clock::now();
  httplib::Result res{nullptr, httplib::Error::Unknown};
  try {
    res = c->send(hreq);
  } catch (const std::exception& e) {
    out.detail = e.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  if (cancel) out.cancelled = cancel->remove(reg);
  if (res) {
    http_response r;
    r.status = res->status;
    for (const auto& [k, v] : res->headers) r.headers.emplace_back(k, v);
    r.body = std::move(res->body);
    out.response = std::move(r);
    give_back(std::move(c));
    return out;
  }
  const auto err = res.error();
  if (out.detail.empty()) out.detail = httplib::to_string(err);
  if (err == httplib::Error::SSLServerVerification || err == httplib::Error::SSLLoadingCerts) {
    // The certificate was refused (untrusted, expired, wrong host) or the
    // trust store could not be read: no retry changes that. A failed
    // handshake (SSLConnection) stays "network": a reset mid-handshake is
    // transient, as OkHttp also treats it.
    out.failure = transport_failure::tls;
  } else if (err == httplib::Error::ConnectionTimeout ||
             ((err == httplib::Error::Read || err == httplib::Error::Write) &&
              elapsed >= timeout * 9 / 10)) {
    out.failure = transport_failure::timeout;
  } else {
    out.failure = transport_failure::network;
  }
  // A failed connection is not reused: its state is unknown.
  return out;
}

}  // namespace seatgate::detail
