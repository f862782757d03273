// The webhook admin routes (docs/webhooks.md, docs/openapi.yaml): endpoints
// (PUT, GET, DELETE, list), failed deliveries and their retry. The PUT runs
// the SSRF guard on every address the URL's host resolves to now; the
// delivery client runs it again at each connect.
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"
#include "outbox/webhook_spec.h"
#include "inventory/validation.h"
#include "outbox/webhook_store.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace seatgate::http::handlers {

namespace {

error bad(std::string detail) { return fail(errc::invalid_request, std::move(detail)); }
error no_endpoint(const std::string& id) {
  return fail(errc::not_found, "no webhook endpoint '" + id + "'");
}

// The store, or the error when webhooks are not served by this process.
result<outbox::webhook_store*> store_of(request_context& ctx) {
  if (!ctx.env.webhooks) return fail(errc::not_found, "webhooks are not enabled");
  return ctx.env.webhooks;
}

// Every address the host resolves to must pass the SSRF guard.
net::awaitable<std::optional<error>> check_addresses(const outbox::target& t, bool allow_private) {
  net::ip::tcp::resolver resolver(co_await net::this_coro::executor);
  auto [ec, found] = co_await resolver.async_resolve(t.host, std::to_string(t.port),
                                                     net::as_tuple(net::use_awaitable));
  if (ec) co_return bad("url: cannot resolve host '" + t.host + "': " + ec.message());
  for (const auto& e : found)
    if (auto why = outbox::refuse_address(e.endpoint().address(), t.tls, allow_private))
      co_return bad("url: " + *why);
  co_return std::nullopt;
}

}  // namespace

net::awaitable<response> admin_webhooks(request& req, request_context& ctx, const route_args&) {
  SG_TRY(authenticate_admin(req, ctx));
  auto store = store_of(ctx);
  if (!store) co_return problem_response(req, store.failure());
  auto all = co_await (*store)->list();
  if (!all) co_return problem_response(req, all.failure());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& ep : *all) items.push_back(outbox::endpoint_json(ep));
  co_return json_response(req, 200, {{"webhooks", items}});
}

net::awaitable<response> admin_webhook(request& req, request_context& ctx, const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  auto store = store_of(ctx);
  if (!store) co_return problem_response(req, store.failure());
  if (!inventory::is_slug(a.id))
    co_return problem_response(req, bad("webhook id must match [a-z0-9][a-z0-9-]{0,63}"));
  if (req.method() == bhttp::verb::delete_) {
    auto gone = co_await (*store)->remove(a.id);
    if (!gone) co_return problem_response(req, gone.failure());
    if (!*gone) co_return problem_response(req, no_endpoint(a.id));
    response res{bhttp::status::no_content, req.version()};
    res.keep_alive(req.keep_alive());
    co_return res;
  }
  if (req.method() == bhttp::verb::get) {
    auto ep = co_await (*store)->get(a.id);
    if (!ep) co_return problem_response(req, ep.failure());
    if (!*ep) co_return problem_response(req, no_endpoint(a.id));
    co_return json_response(req, 200, outbox::endpoint_json(**ep));
  }
  SG_TRY(require_json_body(req));
  const bool allow_private = ctx.env.cfg.webhooks_allow_private;
  auto ep = outbox::parse_endpoint(a.id, req.body(), allow_private);
  if (!ep) co_return problem_response(req, ep.failure());
  auto t = outbox::parse_url(ep->url, allow_private);
  if (!t) co_return problem_response(req, t.failure());
  SG_TRY(co_await check_addresses(*t, allow_private));
  auto put = co_await (*store)->put(std::move(*ep));
  if (!put) co_return problem_response(req, put.failure());
  auto body = outbox::endpoint_json(put->stored);
  if (put->secret_generated) body["secret"] = put->stored.secret;  // shown this once
  co_return json_response(req, put->created ? 201 : 200, body);
}

net::awaitable<response> admin_webhook_deliveries(request& req, request_context& ctx,
                                                  const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  auto store = store_of(ctx);
  if (!store) co_return problem_response(req, store.failure());
  const auto status = query_param(a.query, "status");
  if (status != "failed")
    co_return problem_response(req, bad("query parameter status must be 'failed'"));
  auto ep = co_await (*store)->get(a.id);
  if (!ep) co_return problem_response(req, ep.failure());
  if (!*ep) co_return problem_response(req, no_endpoint(a.id));
  auto failed = co_await (*store)->failed(a.id);
  if (!failed) co_return problem_response(req, failed.failure());
  co_return json_response(req, 200, {{"deliveries", *failed}});
}

net::awaitable<response> admin_webhook_retry(request& req, request_context& ctx,
                                             const route_args& a) {
  SG_TRY(authenticate_admin(req, ctx));
  auto store = store_of(ctx);
  if (!store) co_return problem_response(req, store.failure());
  // /v1/admin/webhooks/{id}/deliveries/{delivery}/retry
  const std::string& endpoint = a.id;
  auto queued = co_await (*store)->retry(endpoint, a.sub);
  if (!queued) co_return problem_response(req, queued.failure());
  if (!*queued)
    co_return problem_response(req, fail(errc::not_found, "no failed delivery '" + a.sub +
                                                              "' for webhook '" + endpoint + "'"));
  co_return json_response(req, 202, {{"delivery", a.sub}, {"status", "pending"}});
}

}  // namespace seatgate::http::handlers
