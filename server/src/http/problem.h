// RFC 9457 problem details. The one place where an error (domain/errc.h)
// becomes an HTTP status, a retryable flag and a problem body.
#pragma once

#include "domain/errc.h"

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

// Every code of domain/errc.h (docs/openapi.yaml lists them). `timeout` (the
// server ran out of its per-request time: 503, retryable) is distinct from
// `request_timeout` (the client was too slow sending: 408). `sold_out`
// defaults to not retryable; the error sets `retryable` when other holds may
// still free seats.
problem_info lookup(errc code);
// The same by wire name; a name that is no code is `internal` (500).
problem_info lookup(std::string_view code);
// True when `code` names an API error.
bool is_known(std::string_view code);
// The wire name of every code in the table (for tests and docs).
std::vector<std::string_view> known_codes();

// Builds the response: status from lookup(), Content-Type
// application/problem+json, body {"type":"urn:seatgate:error:<code>","title",
// "status","detail","code","retryable"}; Retry-After when retryable (default
// 1 s if retry_after is unset). `version`/`keep_alive` are copied from the
// request. An empty detail is replaced by the title. Also sets
// Cache-Control: no-store.
response make_problem(const error& e, unsigned version, bool keep_alive);

// An error named by its wire code (tests, and codes read from outside): a
// name that is no API code is answered as `internal`, keeping the detail.
struct problem {
  std::string code;
  std::string detail;
  std::optional<bool> retryable;
  std::optional<unsigned> retry_after;
};
response make_problem(const problem& p, unsigned version, bool keep_alive);

}  // namespace seatgate::http
