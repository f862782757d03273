// The route handlers, by resource. Each reads the request, asks the
// environment's services, and answers; routing, 405 and OPTIONS are the
// route table's (http/routes.cc).
#pragma once

#include "http/context.h"

// Answers the request with the error of `expr` (an optional<error>), if any.
#define SG_TRY(expr) \
  if (auto sg_error_ = (expr)) co_return problem_response(req, *sg_error_)

namespace seatgate::http::handlers {

// reservations.cc: /v1/reservations..., /v1/users/me/reservations
net::awaitable<response> reserve(request&, request_context&, const route_args&);
net::awaitable<response> confirm(request&, request_context&, const route_args&);
net::awaitable<response> reservation(request&, request_context&, const route_args&);  // GET, DELETE
net::awaitable<response> my_reservations(request&, request_context&, const route_args&);

// events.cc: /v1/events/{id} and /v1/admin/events/{id}...
net::awaitable<response> get_event(request&, request_context&, const route_args&);
net::awaitable<response> admin_put_event(request&, request_context&, const route_args&);
net::awaitable<response> admin_audit(request&, request_context&, const route_args&);
net::awaitable<response> admin_status(request&, request_context&, const route_args&);
net::awaitable<response> admin_archive(request&, request_context&, const route_args&);

// stream.cc: /v1/events/{id}/stream (Server-Sent Events; the session streams)
net::awaitable<response> event_stream(request&, request_context&, const route_args&);

// seats.cc: /v1/events/{id}/zones/{zone}/seats (docs/seating.md)
net::awaitable<response> seat_map(request&, request_context&, const route_args&);

// queue.cc: /v1/events/{id}/queue, /v1/events/{id}/queue/me
net::awaitable<response> queue_join(request&, request_context&, const route_args&);
net::awaitable<response> queue_position(request&, request_context&, const route_args&);
net::awaitable<response> queue_leave(request&, request_context&, const route_args&);

// ops.cc: /healthz, /readyz, /metrics, static files
net::awaitable<response> healthz(request&, request_context&, const route_args&);
net::awaitable<response> readyz(request&, request_context&, const route_args&);
net::awaitable<response> metrics(request&, request_context&, const route_args&);
net::awaitable<response> static_file(request&, request_context&, const route_args&);

// webhooks.cc: /v1/admin/webhooks... (docs/webhooks.md)
net::awaitable<response> admin_webhooks(request&, request_context&, const route_args&);
// PUT, GET, DELETE /v1/admin/webhooks/{id}
net::awaitable<response> admin_webhook(request&, request_context&, const route_args&);
net::awaitable<response> admin_webhook_deliveries(request&, request_context&, const route_args&);
net::awaitable<response> admin_webhook_retry(request&, request_context&, const route_args&);

// demo.cc: /v1/demo/token (with --demo)
net::awaitable<response> demo_token(request&, request_context&, const route_args&);

}  // namespace seatgate::http::handlers
