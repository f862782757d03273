// Who is asking: the user token (HS256 JWT), the admin token, and the rate
// limits that follow from both (docs/operations.md).
#pragma once

#include "domain/result.h"
#include "http/context.h"

#include <optional>
#include <string_view>

namespace seatgate::http {

// The token of "Authorization: Bearer <token>", if any.
std::optional<std::string_view> bearer(const request& req);
// True when the request carries the admin token.
bool is_admin(const request& req, const request_context& ctx);

// Verifies the user token and applies the per-user limit; on success sets
// ctx.user. unauthorized (saying why) or rate_limited otherwise.
std::optional<error> authenticate_user(const request& req, request_context& ctx);
// The admin token: unauthorized without it, forbidden for a valid user token.
std::optional<error> authenticate_admin(const request& req, request_context& ctx);

// The per-IP limit on /v1 routes. CORS preflights are not counted (a 429
// there reaches a browser script as a network error, without Retry-After),
// nor are requests with the admin token (an operator must get through a flood).
std::optional<error> limit_client(const request& req, request_context& ctx);

}  // namespace seatgate::http
