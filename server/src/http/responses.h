// Building responses: JSON, text, problems (http/problem.h), preflights.
#pragma once

#include "domain/result.h"
#include "http/context.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace seatgate::http {

// A problem answer to `req` (its version and keep-alive).
response problem_response(const request& req, const error& e);
// 200/201/... with a JSON body (Cache-Control: no-store).
response json_response(const request& req, unsigned status, const nlohmann::json& body);
// The same with the body already as JSON text.
response json_text_response(const request& req, unsigned status, std::string body);
response text_response(const request& req, unsigned status, std::string body,
                       std::string_view type = "text/plain; charset=utf-8");
// 405 method_not_allowed with Allow.
response method_not_allowed(const request& req, std::string_view allow);
// 204 to a CORS preflight (the headers a browser may send, cached 10 min).
response preflight(const request& req);

}  // namespace seatgate::http
