#include "http/auth.h"

#include "auth/jwt.h"
#include "http/environment.h"
#include "http/rate_limiter.h"
#include "util/time.h"

#include <boost/algorithm/string/predicate.hpp>
#include <string>

namespace seatgate::http {

namespace {

std::string why_invalid(auth::jwt_error e, const config& cfg) {
  switch (e) {
    case auth::jwt_error::expired:
      return "the token has expired";
    case auth::jwt_error::bad_alg:
      return "only HS256 tokens are accepted";
    case auth::jwt_error::bad_signature:
      return "bad token signature";
    case auth::jwt_error::missing_claim:
      return "the token lacks sub or exp";
    case auth::jwt_error::bad_claim:
      return "the token's nbf and iat must be numbers (seconds since the epoch)";
    case auth::jwt_error::not_yet_valid:
      return "the token is not valid yet (its nbf is in the future)";
    case auth::jwt_error::issued_in_future:
      return "the token's iat is in the future";
    case auth::jwt_error::lifetime_too_long:
      return "the token's lifetime (exp - iat, or exp - now) exceeds the maximum of " +
             std::to_string(cfg.jwt_max_lifetime_s) + " s";
    default:
      return "invalid token";
  }
}

}  // namespace

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

bool is_admin(const request& req, const request_context& ctx) {
  auto token = bearer(req);
  const auto& admin = ctx.env.cfg.admin_token;
  return token && !admin.empty() && auth::constant_time_equal(*token, admin);
}

std::optional<error> authenticate_user(const request& req, request_context& ctx) {
  auto token = bearer(req);
  if (!token) return fail(errc::unauthorized, "a Bearer token is required");
  const auto& cfg = ctx.env.cfg;
  auto v = auth::verify_hs256(*token, cfg.jwt_secret, util::now_s(),
                              {cfg.jwt_leeway_s, cfg.jwt_max_lifetime_s});
  if (!v.ok) return fail(errc::unauthorized, why_invalid(v.error, cfg));
  ctx.user = v.ok->sub;
  unsigned retry_after = 0;
  auto* limiter = ctx.env.user_limiter;
  if (limiter && !limiter->allow(ctx.user, rate_limiter::clock::now(), retry_after)) {
    ctx.env.metrics.rate_limited_user.fetch_add(1, std::memory_order_relaxed);
    return error{errc::rate_limited, "too many requests from this user; slow down", true,
                 retry_after};
  }
  return std::nullopt;
}

std::optional<error> authenticate_admin(const request& req, request_context& ctx) {
  if (is_admin(req, ctx)) return std::nullopt;
  if (!bearer(req)) return fail(errc::unauthorized, "the admin token is required");
  // A valid user token is known but not allowed here; anything else is not known.
  if (!authenticate_user(req, ctx)) return fail(errc::forbidden, "admin only");
  return fail(errc::unauthorized, "the admin token is required");
}

std::optional<error> limit_client(const request& req, request_context& ctx) {
  auto* limiter = ctx.env.ip_limiter;
  if (!limiter || req.method() == bhttp::verb::options || is_admin(req, ctx)) return std::nullopt;
  unsigned retry_after = 0;
  if (limiter->allow(ctx.client, rate_limiter::clock::now(), retry_after)) return std::nullopt;
  ctx.env.metrics.rate_limited_ip.fetch_add(1, std::memory_order_relaxed);
  return error{errc::rate_limited, "too many requests from this address; slow down", true,
               retry_after};
}

}  // namespace seatgate::http
