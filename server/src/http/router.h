// Routing and handlers: a parsed request in, a response out. No socket here;
// the session owns I/O (Beast's handle_request / session split).
#pragma once

#include "metrics/metrics.h"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace seatgate {
class app;
struct worker;
}  // namespace seatgate

namespace seatgate::http {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct request_context {
  app& server;
  worker& thread;
  std::string request_id;
  std::string user;  // set once a user token is verified
  metrics::route route = metrics::route::other;
  std::string_view client;  // the per-IP limit's key (client_key of the peer address)
};

// Answers one request. Never throws; adds X-Request-Id and CORS headers.
net::awaitable<response> handle_request(request& req, request_context& ctx);

// The request id a response carries: the client's X-Request-Id when it is
// 1..128 printable ASCII characters, else a new one.
std::string request_id_for(std::string_view sent);

// Adds the headers every response carries (X-Request-Id, CORS).
void finish_response(const request& req, response& res, const request_context& ctx);

}  // namespace seatgate::http
