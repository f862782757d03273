#include "http/inputs.h"

#include <boost/algorithm/string/predicate.hpp>

namespace seatgate::http {

std::optional<std::string_view> header(const request& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return it->value();
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

std::optional<error> require_json_body(const request& req) {
  if (req.body().empty()) return std::nullopt;
  auto type = req[bhttp::field::content_type];
  auto semi = type.find(';');
  auto base = type.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  if (!boost::algorithm::iequals(base, "application/json"))
    return fail(errc::unsupported_media_type, "the body must be application/json");
  return std::nullopt;
}

}  // namespace seatgate::http
