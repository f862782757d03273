// The webhook HTTP client: one POST on the caller's io_context (no thread of
// its own), within a deadline for resolving, connecting, TLS, writing and
// reading the status. The SSRF guard runs again here on every resolved
// address (outbox::refuse_address), so a name that resolved to a public
// address at PUT time and to a private one now (DNS rebinding) is refused.
#pragma once

#include "outbox/poster.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>

namespace seatgate::webhooks {

class client {
 public:
  // Verifies https peers against the system's CA store, and the CA
  // certificates of `ca_file` (PEM; --webhook-ca-file) when given. Throws
  // std::runtime_error when that file cannot be loaded.
  client(bool allow_private, std::chrono::milliseconds timeout, const std::string& ca_file = {});
  // POSTs `body` (application/json) with `h`; never throws.
  boost::asio::awaitable<outbox::post_result> post(const outbox::target& t, outbox::headers h,
                                                   std::string body);
  // This client as the delivery loop's poster (the client must outlive it).
  outbox::poster as_poster();

 private:
  bool allow_private_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace seatgate::webhooks
