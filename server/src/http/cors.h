// The headers every response carries: X-Request-Id and, for an allowed
// Origin, CORS (docs/operations.md, --cors-origin).
#pragma once

#include "http/context.h"

#include <string>
#include <string_view>

namespace seatgate::http {

// traceparent/tracestate (W3C Trace Context): what an SDK request hook
// typically adds (docs/sdk.md "Request and response hooks").
inline constexpr std::string_view k_cors_allow_headers =
    "Authorization, Content-Type, Idempotency-Key, Queue-Pass, X-Request-Id, If-None-Match, "
    "traceparent, tracestate";
inline constexpr std::string_view k_cors_expose_headers =
    "Retry-After, Location, Idempotent-Replayed, X-Request-Id, ETag";

// The request id a response carries: the client's X-Request-Id when it is
// 1..128 printable ASCII characters, else a new one.
std::string request_id_for(std::string_view sent);

// Adds the headers every response carries (X-Request-Id, CORS).
void finish_response(const request& req, response& res, const request_context& ctx);

}  // namespace seatgate::http
