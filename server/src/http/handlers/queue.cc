// The waiting room's routes (docs/waiting-room.md): join, position, leave.
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/render.h"
#include "http/responses.h"

namespace seatgate::http::handlers {

namespace {

response state_response(const request& req, const result<queue_state>& r) {
  if (!r) return problem_response(req, r.failure());
  return json_text_response(req, 200, queue_state_json(*r));
}

}  // namespace

net::awaitable<response> queue_join(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  SG_TRY(require_json_body(req));  // no body is needed; one, if sent, must be JSON
  co_return state_response(req, co_await ctx.env.queue.join(ctx.user, a.id));
}

net::awaitable<response> queue_position(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  co_return state_response(req, co_await ctx.env.queue.position(ctx.user, a.id));
}

net::awaitable<response> queue_leave(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_user(req, ctx));
  co_return state_response(req, co_await ctx.env.queue.leave(ctx.user, a.id));
}

}  // namespace seatgate::http::handlers
