// RFC 9457 problem details. The one place where an error code becomes an
// HTTP status, a title and a retryable flag.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::http {

namespace beast_http = boost::beast::http;
using response = beast_http::response<beast_http::string_body>;

struct problem_info {
  unsigned status;  // HTTP status
  std::string_view title;
  bool retryable;  // default retryable flag for this code
};

// Known codes of docs/openapi.yaml (+ `internal`, `timeout`, `queue_limit_exceeded`,
// `request_timeout`, `headers_too_large`). Unknown codes map to 500 "internal".
// `timeout` (the server ran out of its per-request time: 503, retryable) is
// distinct from `request_timeout` (the client was too slow sending: 408).
// `sold_out` defaults to not retryable; the caller sets `retryable` when
// other holds may still free seats.
problem_info lookup(std::string_view code);
// True when `code` is in the table.
bool is_known(std::string_view code);
// Every code in the table (for tests and docs).
std::vector<std::string_view> known_codes();

struct problem {
  std::string code;
  std::string detail;
  std::optional<bool> retryable;        // overrides lookup(code).retryable
  std::optional<unsigned> retry_after;  // seconds; set => Retry-After header
};

// Builds the response: status from lookup(), Content-Type
// application/problem+json, body {"type":"urn:seatgate:error:<code>","title",
// "status","detail","code","retryable"}; Retry-After when retryable (default
// 1 s if retry_after is unset). `version`/`keep_alive` are copied from the
// request. An unknown code is answered as "internal" (500). An empty detail
// is replaced by the title. Also sets Cache-Control: no-store.
response make_problem(const problem& p, unsigned version, bool keep_alive);

}  // namespace seatgate::http
