// The event routes: the public read, and the admin's upsert, status, audit
// and archive (docs/openapi.yaml).
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"
#include "inventory/event_config.h"
#include "inventory/validation.h"

namespace seatgate::http::handlers {

namespace {

response document_response(const request& req, const result<nlohmann::json>& r,
                           unsigned status = 200) {
  if (!r) return problem_response(req, r.failure());
  return json_response(req, status, *r);
}

// An admin's JSON body, parsed by `parse` (inventory/validation.h), or the
// error that answers the request.
template <class T>
result<T> admin_body(request& req, request_context& ctx,
                     inventory::parsed<T> (*parse)(std::string_view)) {
  if (auto e = authenticate_admin(req, ctx)) return std::move(*e);
  if (auto e = require_json_body(req)) return std::move(*e);
  auto parsed = parse(req.body());
  if (!parsed.value) return parsed.error;
  return std::move(*parsed.value);
}

}  // namespace

net::awaitable<response> get_event(request& req, request_context& ctx, const route_args& a) {
  co_return document_response(req, co_await ctx.env.reservations.get_event(a.id));
}

net::awaitable<response> admin_put_event(request& req, request_context& ctx, const route_args& a) {
  auto config = admin_body(req, ctx, inventory::parse_event_config);
  if (!config) co_return problem_response(req, config.failure());
  auto r = co_await ctx.env.reservations.upsert_event(a.id, *config);
  if (!r) co_return problem_response(req, r.failure());
  co_return json_response(req, r->created ? 201 : 200, r->event);
}

net::awaitable<response> admin_audit(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  co_return document_response(req, co_await ctx.env.reservations.audit(a.id));
}

net::awaitable<response> admin_status(request& req, request_context& ctx, const route_args& a) {
  auto status = admin_body(req, ctx, inventory::parse_status);
  if (!status) co_return problem_response(req, status.failure());
  co_return document_response(req, co_await ctx.env.reservations.set_status(a.id, status->status));
}

// Archiving (docs/operations.md "Archiving an event"): no body.
net::awaitable<response> admin_archive(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  auto r = co_await ctx.env.reservations.archive(a.id);
  if (!r) co_return problem_response(req, r.failure());
  co_return json_response(req, 200,
                          {{"event_id", a.id}, {"archived", true}, {"keys_removed", *r}});
}

}  // namespace seatgate::http::handlers
