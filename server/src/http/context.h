// The request, the response, and what one request carries through the
// route table (http/routes.h) to its handler.
#pragma once

#include "metrics/metrics.h"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>
#include <string_view>

namespace seatgate::live {
struct subscription;
}  // namespace seatgate::live

namespace seatgate::http {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct environment;

struct request_context {
  const environment& env;
  std::string request_id;
  std::string user;  // set once a user token is verified
  metrics::route route = metrics::route::other;
  std::string_view client;  // the per-IP limit's key (client_key of the peer address)
  // Set by the stream route: with a 200, the session writes the header and
  // hands the socket to the stream (http/event_stream.cc).
  std::shared_ptr<live::subscription> stream = {};
};

// What the route's pattern captured: its first `{...}` segment (an event,
// reservation or webhook id), the query string, and its second `{...}`
// segment where it has one (a zone, a delivery).
struct route_args {
  std::string id;
  std::string_view query;
  std::string sub;
};

using handler = net::awaitable<response> (*)(request&, request_context&, const route_args&);

}  // namespace seatgate::http
