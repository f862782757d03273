#include "http/routes.h"

#include "http/auth.h"
#include "http/cors.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"
#include "inventory/validation.h"

#include <array>

namespace seatgate::http {

namespace {

using bhttp::verb;
using metrics::route;
namespace h = handlers;

struct method {
  verb v = verb::unknown;  // unknown: no method in this slot
  route label = route::other;
  handler fn = nullptr;
};

struct route_entry {
  // Segments; "{event}" captures an event id (a slug, else 400), "{id}" any
  // segment. Paths under /v1 count against the per-IP limit.
  std::string_view pattern;
  std::string_view allow;  // the Allow header of a 405
  std::array<method, 3> methods;
  bool demo_only = false;  // exists only with --demo
};

// docs/openapi.yaml, plus the operator's routes (docs/operations.md). A path
// under none of them and outside /v1 is a static file (--web-root).
// clang-format off
constexpr std::array k_routes{
  route_entry{"/healthz", "GET, HEAD", {{{verb::get, route::healthz, h::healthz},
                                         {verb::head, route::healthz, h::healthz}}}},
  route_entry{"/readyz", "GET, HEAD", {{{verb::get, route::readyz, h::readyz},
                                        {verb::head, route::readyz, h::readyz}}}},
  route_entry{"/metrics", "GET", {{{verb::get, route::metrics, h::metrics}}}},
  route_entry{"/v1/admin/events/{event}", "PUT",
              {{{verb::put, route::admin_put_event, h::admin_put_event}}}},
  route_entry{"/v1/admin/events/{event}/audit", "GET",
              {{{verb::get, route::admin_audit, h::admin_audit}}}},
  route_entry{"/v1/admin/events/{event}/status", "POST",
              {{{verb::post, route::admin_status, h::admin_status}}}},
  route_entry{"/v1/admin/events/{event}/archive", "POST",
              {{{verb::post, route::admin_archive, h::admin_archive}}}},
  route_entry{"/v1/admin/webhooks", "GET",
              {{{verb::get, route::admin_webhooks, h::admin_webhooks}}}},
  route_entry{"/v1/admin/webhooks/{id}", "PUT, GET, DELETE",
              {{{verb::put, route::admin_webhooks, h::admin_webhook},
                {verb::get, route::admin_webhooks, h::admin_webhook},
                {verb::delete_, route::admin_webhooks, h::admin_webhook}}}},
  route_entry{"/v1/admin/webhooks/{id}/deliveries", "GET",
              {{{verb::get, route::admin_webhooks, h::admin_webhook_deliveries}}}},
  route_entry{"/v1/admin/webhooks/{id}/deliveries/{delivery}/retry", "POST",
              {{{verb::post, route::admin_webhooks, h::admin_webhook_retry}}}},
  route_entry{"/v1/events/{event}", "GET", {{{verb::get, route::get_event, h::get_event}}}},
  route_entry{"/v1/events/{event}/stream", "GET",
              {{{verb::get, route::event_stream, h::event_stream}}}},
  route_entry{"/v1/events/{event}/zones/{id}/seats", "GET",
              {{{verb::get, route::seat_map, h::seat_map}}}},
  route_entry{"/v1/events/{event}/queue", "POST",
              {{{verb::post, route::queue_join, h::queue_join}}}},
  route_entry{"/v1/events/{event}/queue/me", "GET, DELETE",
              {{{verb::get, route::queue_status, h::queue_position},
                {verb::delete_, route::queue_leave, h::queue_leave}}}},
  route_entry{"/v1/reservations", "POST", {{{verb::post, route::reserve, h::reserve}}}},
  route_entry{"/v1/reservations/{id}", "GET, DELETE",
              {{{verb::get, route::get_reservation, h::reservation},
                {verb::delete_, route::release, h::reservation}}}},
  route_entry{"/v1/reservations/{id}/confirm", "POST",
              {{{verb::post, route::confirm, h::confirm}}}},
  route_entry{"/v1/users/me/reservations", "GET",
              {{{verb::get, route::list_reservations, h::my_reservations}}}},
  route_entry{"/v1/demo/token", "POST", {{{verb::post, route::demo_token, h::demo_token}}},
              /*demo_only=*/true},
};
// clang-format on

// Matches `seg` against the pattern; sets `capture` and `second` to its first
// and second `{...}` segments.
bool matches(std::string_view pattern, const std::vector<std::string_view>& seg,
             std::string_view& capture, std::string_view& second) {
  std::size_t i = 0;
  pattern.remove_prefix(1);  // the leading '/'
  for (;;) {
    const auto slash = pattern.find('/');
    const auto part = pattern.substr(0, slash);
    if (i >= seg.size()) return false;
    if (part.front() == '{') {
      (capture.empty() ? capture : second) = seg[i];
    } else if (part != seg[i]) {
      return false;
    }
    ++i;
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return i == seg.size();
}

net::awaitable<response> dispatch(request& req, request_context& ctx) {
  std::string_view target = req.target();
  const auto qpos = target.find('?');
  const std::string_view path = target.substr(0, qpos);
  const std::string_view query =
      qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
  const auto seg = split_path(path);
  const bool v1 = !seg.empty() && seg[0] == "v1";
  if (v1) {
    if (auto e = limit_client(req, ctx)) co_return problem_response(req, *e);
  }

  for (const auto& r : k_routes) {
    std::string_view capture, second;
    if ((r.demo_only && !ctx.env.cfg.demo) || !matches(r.pattern, seg, capture, second)) continue;
    const method* chosen = nullptr;
    for (const auto& m : r.methods)
      if (m.fn && m.v == req.method()) chosen = &m;
    ctx.route = chosen ? chosen->label : r.methods[0].label;
    if (req.method() == verb::options) co_return preflight(req);
    if (!chosen) co_return method_not_allowed(req, r.allow);
    if (r.pattern.find("{event}") != std::string_view::npos && !inventory::is_slug(capture))
      co_return problem_response(
          req, fail(errc::invalid_request, "event id must match [a-z0-9][a-z0-9-]{0,63}"));
    // A named argument: GCC 12 destroys a braced temporary in a co_await
    // expression twice.
    const route_args args{std::string(capture), query, std::string(second)};
    co_return co_await chosen->fn(req, ctx, args);
  }
  if (!v1) {
    ctx.route = route::static_file;
    const route_args none;
    co_return co_await h::static_file(req, ctx, none);
  }
  co_return problem_response(req, fail(errc::not_found, "no such resource"));
}

}  // namespace

net::awaitable<response> handle_request(request& req, request_context& ctx) {
  ctx.request_id = request_id_for(req["X-Request-Id"]);
  response res;
  try {
    res = co_await dispatch(req, ctx);
  } catch (const std::exception&) {
    res = problem_response(req, fail(errc::internal, "internal error"));
  }
  finish_response(req, res, ctx);
  co_return res;
}

}  // namespace seatgate::http
