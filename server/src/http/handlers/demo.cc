// The demo's login (--demo, docs/operations.md): a signed user token for any
// well-formed user name.
#include "auth/jwt.h"
#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"
#include "util/time.h"

#include <seatgate/rules.h>

namespace seatgate::http::handlers {

net::awaitable<response> demo_token(request& req, request_context& ctx, const route_args&) {
  SG_TRY(require_json_body(req));
  // The lexer stops at a NUL byte, which JSON text never holds: refuse it.
  auto body = nlohmann::json::parse(req.body(), nullptr, false);
  if (body.is_discarded() || req.body().find('\0') != std::string::npos)
    co_return problem_response(req, fail(errc::invalid_json, "the body is not valid JSON"));
  if (!body.is_object() || !body.contains("user") || !body["user"].is_string())
    co_return problem_response(req,
                               fail(errc::invalid_request, "body must be {\"user\": \"<name>\"}"));
  std::string user = body["user"];
  if (!rules::is_user_name(user))
    co_return problem_response(
        req, fail(errc::invalid_request, "user must be 1..64 letters, digits, '-', '_' or '.'"));
  auto exp = util::now_s() + 3600;
  co_return json_response(req, 200,
                          {{"token", auth::sign_hs256(user, exp, ctx.env.cfg.jwt_secret)},
                           {"user", user},
                           {"expires_at", util::rfc3339_ms(exp * 1000)}});
}

}  // namespace seatgate::http::handlers
