#include "http/router.h"

#include "app.h"
#include "auth/jwt.h"
#include "http/problem.h"
#include "http/rate_limiter.h"
#include "http/static_files.h"
#include "inventory/event_config.h"
#include "inventory/fingerprint.h"
#include "inventory/reserve_body.h"
#include "inventory/service.h"
#include "inventory/validation.h"
#include "queue/service.h"
#include "util/random.h"
#include "util/time.h"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/predicate.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace seatgate::http {

namespace {

using json = nlohmann::json;
using metrics::route;

constexpr std::string_view k_allow_headers =
    "Authorization, Content-Type, Idempotency-Key, Queue-Pass, X-Request-Id";
constexpr std::string_view k_expose_headers =
    "Retry-After, Location, Idempotent-Replayed, X-Request-Id";

response problem_response(const request& req, problem p) {
  if (p.detail.empty()) p.detail = std::string(lookup(p.code).title);
  return make_problem(p, req.version(), req.keep_alive());
}

response problem_response(const request& req, const seatgate::error& e) {
  return problem_response(req, {std::string(code_name(e.code)), e.detail, e.retryable,
                                e.retry_after});
}

response json_response(const request& req, unsigned status, const json& body) {
  response res{static_cast<bhttp::status>(status), req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = body.dump();
  res.prepare_payload();
  return res;
}

response text_response(const request& req, unsigned status, std::string body,
                       std::string_view type = "text/plain; charset=utf-8") {
  response res{static_cast<bhttp::status>(status), req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response from_result(const request& req, inventory::result r) {
  if (r.problem) return problem_response(req, std::move(*r.problem));
  auto res = r.body_text.empty()
                 ? json_response(req, r.status, r.body)
                 : text_response(req, r.status, std::move(r.body_text), "application/json");
  if (r.replayed) res.set("Idempotent-Replayed", "true");
  return res;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i >= path.size()) break;
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    auto eq = part.find('=');
    if (part.substr(0, eq) == name)
      return std::string(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> bearer(const request& req) {
  auto it = req.find(bhttp::field::authorization);
  if (it == req.end()) return std::nullopt;
  std::string_view v = it->value();
  if (v.size() < 7 || !boost::algorithm::iequals(v.substr(0, 7), "Bearer ")) return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  return v;
}

// Verifies the user token; on success sets ctx.user.
std::optional<problem> authenticate_user(const request& req, request_context& ctx) {
  auto token = bearer(req);
  if (!token) return problem{"unauthorized", "a Bearer token is required"};
  const auto& cfg = ctx.server.cfg();
  auto v = auth::verify_hs256(*token, cfg.jwt_secret, util::now_s(),
                              {cfg.jwt_leeway_s, cfg.jwt_max_lifetime_s});
  if (!v.ok) {
    std::string why = "invalid token";
    switch (v.error) {
      case auth::jwt_error::expired:
        why = "the token has expired";
        break;
      case auth::jwt_error::bad_alg:
        why = "only HS256 tokens are accepted";
        break;
      case auth::jwt_error::bad_signature:
        why = "bad token signature";
        break;
      case auth::jwt_error::missing_claim:
        why = "the token lacks sub or exp";
        break;
      case auth::jwt_error::bad_claim:
        why = "the token's nbf and iat must be numbers (seconds since the epoch)";
        break;
      case auth::jwt_error::not_yet_valid:
        why = "the token is not valid yet (its nbf is in the future)";
        break;
      case auth::jwt_error::issued_in_future:
        why = "the token's iat is in the future";
        break;
      case auth::jwt_error::lifetime_too_long:
        why = "the token's lifetime (exp - iat, or exp - now) exceeds the maximum of " +
              std::to_string(cfg.jwt_max_lifetime_s) + " s";
        break;
      default:
        break;
    }
    return problem{"unauthorized", std::move(why)};
  }
  ctx.user = v.ok->sub;
  unsigned retry_after = 0;
  auto* limiter = ctx.server.user_limiter();
  if (limiter && !limiter->allow(ctx.user, rate_limiter::clock::now(), retry_after)) {
    ctx.server.metrics().rate_limited_user.fetch_add(1, std::memory_order_relaxed);
    return problem{"rate_limited", "too many requests from this user; slow down", true,
                   retry_after};
  }
  return std::nullopt;
}

bool is_admin(const request& req, const request_context& ctx) {
  auto token = bearer(req);
  const auto& admin = ctx.server.cfg().admin_token;
  return token && !admin.empty() && auth::constant_time_equal(*token, admin);
}

// The per-IP limit on /v1 routes. CORS preflights are not counted (a 429 there
// reaches a browser script as a network error, without Retry-After), nor are
// requests with the admin token (an operator must get through a flood).
std::optional<problem> limit_client(const request& req, request_context& ctx) {
  auto* limiter = ctx.server.ip_limiter();
  if (!limiter || req.method() == bhttp::verb::options || is_admin(req, ctx)) return std::nullopt;
  unsigned retry_after = 0;
  if (limiter->allow(ctx.client, rate_limiter::clock::now(), retry_after)) return std::nullopt;
  ctx.server.metrics().rate_limited_ip.fetch_add(1, std::memory_order_relaxed);
  return problem{"rate_limited", "too many requests from this address; slow down", true,
                 retry_after};
}

std::optional<problem> authenticate_admin(const request& req, request_context& ctx) {
  if (is_admin(req, ctx)) return std::nullopt;
  if (!bearer(req)) return problem{"unauthorized", "the admin token is required"};
  // A valid user token is known but not allowed here; anything else is not known.
  if (!authenticate_user(req, ctx)) return problem{"forbidden", "admin only"};
  return problem{"unauthorized", "the admin token is required"};
}

// A request body must be JSON when present (docs/openapi.yaml: 415 otherwise).
std::optional<problem> require_json_body(const request& req) {
  if (req.body().empty()) return std::nullopt;
  auto type = req[bhttp::field::content_type];
  auto semi = type.find(';');
  auto base = type.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  if (!boost::algorithm::iequals(base, "application/json"))
    return problem{"unsupported_media_type", "the body must be application/json"};
  return std::nullopt;
}

std::optional<std::string_view> header(const request& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return it->value();
}

response method_not_allowed(const request& req, std::string_view allow) {
  auto res = problem_response(req, {"method_not_allowed", "allowed: " + std::string(allow)});
  res.set(bhttp::field::allow, allow);
  return res;
}

std::optional<problem> idempotency_key_problem(std::optional<std::string_view> key) {
  auto e = inventory::check_idempotency_key(key);
  if (!e) return std::nullopt;
  return problem{std::string(code_name(e->code)), e->detail};
}

#define SG_TRY(expr)                                          \
  if (auto sg_problem_ = (expr)) {                            \
    co_return problem_response(req, std::move(*sg_problem_)); \
  }

// --- handlers ---------------------------------------------------------------

net::awaitable<response> reserve(request& req, request_context& ctx) {
  SG_TRY(authenticate_user(req, ctx));
  SG_TRY(require_json_body(req));
  auto key = header(req, "Idempotency-Key");
  SG_TRY(idempotency_key_problem(key));
  auto parsed = inventory::parse_reserve(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  std::string pass(header(req, "Queue-Pass").value_or(""));
  if (auto e = inventory::check_queue_pass(pass)) co_return problem_response(req, *e);
  auto fp = inventory::fingerprint("POST", "/v1/reservations", parsed.value->canonical);
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics(),
                         ctx.server.cfg().reservations_per_user_per_minute);
  auto r = co_await svc.reserve(ctx.user, std::string(*key), *parsed.value, pass, fp);
  // A replay deletes the pass too: the first answer may have been lost before
  // its deletion ran (deleting is idempotent; an unused pass is left alone).
  if (!r.problem && !pass.empty())
    ctx.server.delete_pass_detached(ctx.thread, parsed.value->event_id, pass);
  std::string location = r.problem ? "" : "/v1/reservations/" + r.reservation_id;
  auto res = from_result(req, std::move(r));
  if (!location.empty()) res.set(bhttp::field::location, location);
  co_return res;
}

net::awaitable<response> confirm(request& req, request_context& ctx, std::string rid) {
  SG_TRY(authenticate_user(req, ctx));
  SG_TRY(require_json_body(req));
  auto key = header(req, "Idempotency-Key");
  SG_TRY(idempotency_key_problem(key));
  auto parsed = inventory::parse_confirm(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  auto fp = inventory::fingerprint("POST", "/v1/reservations/" + rid + "/confirm",
                                   parsed.value->canonical);
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req,
                        co_await svc.confirm(ctx.user, rid, std::string(*key), *parsed.value, fp));
}

net::awaitable<response> reservation(request& req, request_context& ctx, std::string rid) {
  SG_TRY(authenticate_user(req, ctx));
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  if (req.method() == bhttp::verb::get)
    co_return from_result(req, co_await svc.get_reservation(ctx.user, rid));
  co_return from_result(req, co_await svc.release(ctx.user, rid));
}

net::awaitable<response> my_reservations(request& req, request_context& ctx,
                                         std::string_view query) {
  SG_TRY(authenticate_user(req, ctx));
  auto event = query_param(query, "event_id");
  if (!event || !inventory::is_slug(*event))
    co_return problem_response(
        req, {"invalid_request", "query parameter event_id (an event slug) is required"});
  auto page = inventory::parse_list_query(*event, query_param(query, "limit"),
                                          query_param(query, "cursor"));
  if (!page.value) co_return problem_response(req, page.error);
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req, co_await svc.list_reservations(ctx.user, *event, *page.value));
}

net::awaitable<response> get_event(request& req, request_context& ctx, std::string id) {
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req, co_await svc.get_event(id));
}

net::awaitable<response> admin_put_event(request& req, request_context& ctx, std::string id) {
  SG_TRY(authenticate_admin(req, ctx));
  SG_TRY(require_json_body(req));
  auto parsed = inventory::parse_event_config(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req, co_await svc.upsert_event(id, *parsed.value));
}

net::awaitable<response> admin_audit(request& req, request_context& ctx, std::string id) {
  SG_TRY(authenticate_admin(req, ctx));
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req, co_await svc.audit(id));
}

net::awaitable<response> admin_status(request& req, request_context& ctx, std::string id) {
  SG_TRY(authenticate_admin(req, ctx));
  SG_TRY(require_json_body(req));
  auto parsed = inventory::parse_status(req.body());
  if (!parsed.value) co_return problem_response(req, parsed.error);
  inventory::service svc(*ctx.thread.redis, ctx.server.metrics());
  co_return from_result(req, co_await svc.set_status(id, parsed.value->status));
}

// The waiting room (docs/waiting-room.md, docs/waiting-room.md): join, position, leave.
net::awaitable<response> queue_route(request& req, request_context& ctx, std::string id) {
  SG_TRY(authenticate_user(req, ctx));
  queue::service svc(*ctx.thread.redis);
  if (req.method() == bhttp::verb::post) {
    SG_TRY(require_json_body(req));  // no body is needed; one, if sent, must be JSON
    co_return from_result(req, co_await svc.join(ctx.user, id));
  }
  if (req.method() == bhttp::verb::get)
    co_return from_result(req, co_await svc.position(ctx.user, id));
  co_return from_result(req, co_await svc.leave(ctx.user, id));
}

response demo_token(request& req, request_context& ctx) {
  if (auto p = require_json_body(req)) return problem_response(req, std::move(*p));
  // The lexer stops at a NUL byte, which JSON text never holds: refuse it.
  auto body = json::parse(req.body(), nullptr, false);
  if (body.is_discarded() || req.body().find('\0') != std::string::npos)
    return problem_response(req, {"invalid_json", "the body is not valid JSON"});
  if (!body.is_object() || !body.contains("user") || !body["user"].is_string())
    return problem_response(req, {"invalid_request", "body must be {\"user\": \"<name>\"}"});
  std::string user = body["user"];
  if (!rules::is_user_name(user))
    return problem_response(
        req, {"invalid_request", "user must be 1..64 letters, digits, '-', '_' or '.'"});
  auto exp = util::now_s() + 3600;
  return json_response(req, 200,
                       {{"token", auth::sign_hs256(user, exp, ctx.server.cfg().jwt_secret)},
                        {"user", user},
                        {"expires_at", util::rfc3339_ms(exp * 1000)}});
}

response preflight(const request& req) {
  response res{bhttp::status::no_content, req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::access_control_allow_methods, "GET, POST, PUT, DELETE, OPTIONS");
  res.set(bhttp::field::access_control_allow_headers, k_allow_headers);
  res.set(bhttp::field::access_control_max_age, "600");
  return res;
}

net::awaitable<response> dispatch(request& req, request_context& ctx) {
  std::string_view target = req.target();
  auto qpos = target.find('?');
  std::string_view path = target.substr(0, qpos);
  std::string_view query =
      qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
  auto seg = split_path(path);
  const auto m = req.method();
  const bool is_options = m == bhttp::verb::options;

  auto only = [&](std::initializer_list<bhttp::verb> allowed,
                  std::string_view allow) -> std::optional<response> {
    if (is_options) return preflight(req);
    if (std::find(allowed.begin(), allowed.end(), m) == allowed.end())
      return method_not_allowed(req, allow);
    return std::nullopt;
  };
  auto bad_id = [&](std::string_view what) {
    return problem_response(
        req, {"invalid_request", std::string(what) + " must match [a-z0-9][a-z0-9-]{0,63}"});
  };

  if (seg.size() == 1 && seg[0] == "healthz") {
    ctx.route = route::healthz;
    if (auto r = only({bhttp::verb::get, bhttp::verb::head}, "GET, HEAD")) co_return std::move(*r);
    co_return json_response(req, 200, {{"status", "ok"}});
  }
  if (seg.size() == 1 && seg[0] == "readyz") {
    ctx.route = route::readyz;
    if (auto r = only({bhttp::verb::get, bhttp::verb::head}, "GET, HEAD")) co_return std::move(*r);
    if (ctx.server.ready()) co_return json_response(req, 200, {{"status", "ready"}});
    co_return problem_response(
        req, {"unavailable", ctx.server.stopping() ? "shutting down" : "Redis is not reachable",
              true, 1});
  }
  if (seg.size() == 1 && seg[0] == "metrics") {
    ctx.route = route::metrics;
    if (auto r = only({bhttp::verb::get}, "GET")) co_return std::move(*r);
    if (!ctx.server.cfg().metrics_public && !is_admin(req, ctx))
      co_return problem_response(req, {"unauthorized", "the admin token is required"});
    co_return text_response(
        req, 200, ctx.server.metrics().render(ctx.server.redis_stats(), ctx.server.ready()),
        "text/plain; version=0.0.4; charset=utf-8");
  }
  if (seg.empty() || seg[0] != "v1") {
    ctx.route = route::static_file;
    const auto& root = ctx.server.cfg().web_root;
    if (!root.empty() && (m == bhttp::verb::get || m == bhttp::verb::head))
      co_return serve_static(root, req);
    co_return problem_response(req, {"not_found", "no such resource"});
  }

  // /v1/...
  if (auto p = limit_client(req, ctx)) co_return problem_response(req, std::move(*p));
  if (seg.size() >= 4 && seg[1] == "admin" && seg[2] == "events") {
    std::string id(seg[3]);
    if (seg.size() == 4) {
      ctx.route = route::admin_put_event;
      if (auto r = only({bhttp::verb::put}, "PUT")) co_return std::move(*r);
      if (!inventory::is_slug(id)) co_return bad_id("event id");
      co_return co_await admin_put_event(req, ctx, std::move(id));
    }
    if (seg.size() == 5 && seg[4] == "audit") {
      ctx.route = route::admin_audit;
      if (auto r = only({bhttp::verb::get}, "GET")) co_return std::move(*r);
      if (!inventory::is_slug(id)) co_return bad_id("event id");
      co_return co_await admin_audit(req, ctx, std::move(id));
    }
    if (seg.size() == 5 && seg[4] == "status") {
      ctx.route = route::admin_status;
      if (auto r = only({bhttp::verb::post}, "POST")) co_return std::move(*r);
      if (!inventory::is_slug(id)) co_return bad_id("event id");
      co_return co_await admin_status(req, ctx, std::move(id));
    }
  }
  if (seg.size() == 3 && seg[1] == "events") {
    ctx.route = route::get_event;
    if (auto r = only({bhttp::verb::get}, "GET")) co_return std::move(*r);
    std::string id(seg[2]);
    if (!inventory::is_slug(id)) co_return bad_id("event id");
    co_return co_await get_event(req, ctx, std::move(id));
  }
  if (seg.size() == 4 && seg[1] == "events" && seg[3] == "queue") {
    ctx.route = route::queue_join;
    if (auto r = only({bhttp::verb::post}, "POST")) co_return std::move(*r);
    std::string id(seg[2]);
    if (!inventory::is_slug(id)) co_return bad_id("event id");
    co_return co_await queue_route(req, ctx, std::move(id));
  }
  if (seg.size() == 5 && seg[1] == "events" && seg[3] == "queue" && seg[4] == "me") {
    ctx.route = m == bhttp::verb::delete_ ? route::queue_leave : route::queue_status;
    if (auto r = only({bhttp::verb::get, bhttp::verb::delete_}, "GET, DELETE"))
      co_return std::move(*r);
    std::string id(seg[2]);
    if (!inventory::is_slug(id)) co_return bad_id("event id");
    co_return co_await queue_route(req, ctx, std::move(id));
  }
  if (seg.size() == 2 && seg[1] == "reservations") {
    ctx.route = route::reserve;
    if (auto r = only({bhttp::verb::post}, "POST")) co_return std::move(*r);
    co_return co_await reserve(req, ctx);
  }
  if (seg.size() == 3 && seg[1] == "reservations") {
    ctx.route = m == bhttp::verb::delete_ ? route::release : route::get_reservation;
    if (auto r = only({bhttp::verb::get, bhttp::verb::delete_}, "GET, DELETE"))
      co_return std::move(*r);
    co_return co_await reservation(req, ctx, std::string(seg[2]));
  }
  if (seg.size() == 4 && seg[1] == "reservations" && seg[3] == "confirm") {
    ctx.route = route::confirm;
    if (auto r = only({bhttp::verb::post}, "POST")) co_return std::move(*r);
    co_return co_await confirm(req, ctx, std::string(seg[2]));
  }
  if (seg.size() == 4 && seg[1] == "users" && seg[2] == "me" && seg[3] == "reservations") {
    ctx.route = route::list_reservations;
    if (auto r = only({bhttp::verb::get}, "GET")) co_return std::move(*r);
    co_return co_await my_reservations(req, ctx, query);
  }
  if (seg.size() == 3 && seg[1] == "demo" && seg[2] == "token" && ctx.server.cfg().demo) {
    ctx.route = route::demo_token;
    if (auto r = only({bhttp::verb::post}, "POST")) co_return std::move(*r);
    co_return demo_token(req, ctx);
  }
  co_return problem_response(req, {"not_found", "no such resource"});
}

}  // namespace

std::string request_id_for(std::string_view sent) {
  bool valid =
      !sent.empty() && sent.size() <= 128 &&
      std::all_of(sent.begin(), sent.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  return valid ? std::string(sent) : util::request_id();
}

void finish_response(const request& req, response& res, const request_context& ctx) {
  res.set("X-Request-Id", ctx.request_id);
  auto origin = req[bhttp::field::origin];
  if (!origin.empty()) {
    const auto& allowed = ctx.server.cfg().cors_origins;
    bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (any || std::find(allowed.begin(), allowed.end(), origin) != allowed.end()) {
      res.set(bhttp::field::access_control_allow_origin, origin);
      res.set(bhttp::field::vary, "Origin");
      res.set(bhttp::field::access_control_expose_headers, k_expose_headers);
    }
  }
}

net::awaitable<response> handle_request(request& req, request_context& ctx) {
  ctx.request_id = request_id_for(req["X-Request-Id"]);
  response res;
  try {
    res = co_await dispatch(req, ctx);
  } catch (const std::exception&) {
    res = problem_response(req, {"internal", "internal error"});
  }
  finish_response(req, res, ctx);
  co_return res;
}

}  // namespace seatgate::http
