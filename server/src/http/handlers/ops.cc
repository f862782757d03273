// The operator's routes (docs/operations.md): liveness, readiness, metrics,
// and the static site of --web-root.
#include "http/auth.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/responses.h"
#include "http/static_files.h"

namespace seatgate::http::handlers {

net::awaitable<response> healthz(request& req, request_context&, const route_args&) {
  co_return json_response(req, 200, {{"status", "ok"}});
}

net::awaitable<response> readyz(request& req, request_context& ctx, const route_args&) {
  if (ctx.env.ready()) co_return json_response(req, 200, {{"status", "ready"}});
  co_return problem_response(
      req, error{errc::unavailable, ctx.env.stopping() ? "shutting down" : "Redis is not reachable",
                 true, 1});
}

net::awaitable<response> metrics(request& req, request_context& ctx, const route_args&) {
  if (!ctx.env.cfg.metrics_public && !is_admin(req, ctx))
    co_return problem_response(req, fail(errc::unauthorized, "the admin token is required"));
  co_return text_response(req, 200, ctx.env.metrics.render(ctx.env.redis_stats, ctx.env.ready()),
                          "text/plain; version=0.0.4; charset=utf-8");
}

net::awaitable<response> static_file(request& req, request_context& ctx, const route_args&) {
  const auto& root = ctx.env.cfg.web_root;
  const auto m = req.method();
  if (!root.empty() && (m == bhttp::verb::get || m == bhttp::verb::head))
    co_return serve_static(root, req);
  co_return problem_response(req, fail(errc::not_found, "no such resource"));
}

}  // namespace seatgate::http::handlers
