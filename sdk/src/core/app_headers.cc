// What an app's request hook may add to a request (core.h, add_app_header).
#include <algorithm>
#include <array>

#include "seatgate/core.h"

namespace seatgate {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// RFC 9110 tchar.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// The SDK's own headers and the transport's framing.
constexpr std::array<std::string_view, 15> k_reserved = {
    "Accept",          "Authorization",   "Connection", "Content-Length", "Content-Type",
    "Expect",          "Host",            "Idempotency-Key", "Keep-Alive", "Queue-Pass",
    "TE",              "Trailer",         "Transfer-Encoding", "Upgrade",  "User-Agent"};

}  // namespace

bool add_app_header(http_request& request, std::string_view name, std::string_view value) {
  if (!is_token(name)) return false;
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return false;
  for (auto r : k_reserved)
    if (iequals(r, name)) return false;
  for (const auto& [k, v] : request.headers)
    if (iequals(k, name)) return false;
  request.headers.emplace_back(std::string(name), std::string(value));
  return true;
}

}  // namespace seatgate
