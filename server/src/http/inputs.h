// Reading a request: headers, query parameters and the JSON body rule.
#pragma once

#include "domain/result.h"
#include "http/context.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::http {

std::optional<std::string_view> header(const request& req, std::string_view name);
// The value of `name` in a query string ("" for a name without '=').
std::optional<std::string> query_param(std::string_view query, std::string_view name);
// The non-empty segments of a path.
std::vector<std::string_view> split_path(std::string_view path);

// A request body must be JSON when present (docs/openapi.yaml: 415 otherwise).
std::optional<error> require_json_body(const request& req);

}  // namespace seatgate::http
