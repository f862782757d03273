// The route table: a parsed request in, a response out. No socket here; the
// session owns I/O (Beast's handle_request / session split). Every route is
// one row of http/routes.cc (verbs, path pattern, metrics label, handler);
// the table also answers 405 (with Allow) and CORS preflights.
#pragma once

#include "http/context.h"

namespace seatgate::http {

// Answers one request. Never throws; adds X-Request-Id and CORS headers.
net::awaitable<response> handle_request(request& req, request_context& ctx);

}  // namespace seatgate::http
