// The event routes: the public read, and the admin's upsert, status and
// audit (docs/openapi.yaml).
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"

namespace seatgate::http::handlers {

namespace {

response document_response(const request& req, const result<nlohmann::json>& r,
                           unsigned status = 200) {
  if (!r) return problem_response(req, r.failure());
  return json_response(req, status, *r);
}

}  // namespace

net::awaitable<response> get_event(request& req, request_context& ctx, const route_args& a) {
  co_return document_response(req, co_await ctx.env.reservations.get_event(a.id));
}

net::awaitable<response> admin_put_event(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  SG_TRY(require_json_body(req));
  auto parsed = inventory::parse_event_config(req.body());
  if (!parsed.value) co_return problem_response(req, invalid_input(parsed.error));
  auto r = co_await ctx.env.reservations.upsert_event(a.id, *parsed.value);
  if (!r) co_return problem_response(req, r.failure());
  co_return json_response(req, r->created ? 201 : 200, r->event);
}

net::awaitable<response> admin_audit(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  co_return document_response(req, co_await ctx.env.reservations.audit(a.id));
}

net::awaitable<response> admin_status(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  SG_TRY(require_json_body(req));
  auto parsed = inventory::parse_status(req.body());
  if (!parsed.value) co_return problem_response(req, invalid_input(parsed.error));
  co_return document_response(req,
                              co_await ctx.env.reservations.set_status(a.id, parsed.value->status));
}

}  // namespace seatgate::http::handlers
