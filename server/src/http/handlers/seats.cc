// The seat map route: GET /v1/events/{id}/zones/{zone}/seats (docs/seating.md,
// docs/openapi.yaml). A seated zone's rows with one state letter per seat,
// with an ETag so that polling clients get a 304 while nothing changed.
#include <cstdint>

#include "http/environment.h"
#include "http/handlers/handlers.h"
#include "http/inputs.h"
#include "http/responses.h"
#include "inventory/validation.h"
#include "util/hex.h"

namespace seatgate::http::handlers {

namespace {

// The map's body: rows with their state letters, categories and prices.
nlohmann::json render_seat_map(const std::string& event_id, const std::string& zone_id,
                               const inventory::seating::seat_map& m) {
  nlohmann::json rows = nlohmann::json::array();
  std::size_t at = 0;
  std::int64_t available = 0;
  for (const auto& r : m.layout.at("rows")) {
    const auto n = r.at("seats").get<std::size_t>();
    std::string states = m.states.substr(std::min(at, m.states.size()), n);
    for (char c : states) available += c == 'a';
    rows.push_back({{"id", r.at("id")},
                    {"seats", n},
                    {"aisles_after", r.at("aisles_after")},
                    {"states", std::move(states)}});
    at += n;
  }
  return {{"event_id", event_id},
          {"zone_id", zone_id},
          {"available", available},
          {"rows", std::move(rows)},
          {"unavailable", m.layout.at("unavailable")},
          {"categories", m.layout.at("categories")},
          {"category_prices", m.layout.at("category_prices")},
          {"seat_version", m.version}};
}

// A strong validator of the body: FNV-1a (64 bit) of its text.
std::string etag_of(std::string_view body) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : body) h = (h ^ c) * 1099511628211ULL;
  unsigned char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(h >> (56 - 8 * i));
  std::string tag = "\"";
  util::append_hex(tag, bytes, sizeof bytes);
  return tag + "\"";
}

// If-None-Match: "*" or a comma-separated list of tags (weak ones compare
// weakly, RFC 9110 13.1.2).
bool none_match(std::string_view header, std::string_view tag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == tag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

net::awaitable<response> seat_map(request& req, request_context& ctx, const route_args& a) {
  const std::string& zone = a.sub;
  if (!inventory::is_slug(zone))
    co_return problem_response(
        req, fail(errc::invalid_request, "zone id must match [a-z0-9][a-z0-9-]{0,63}"));
  auto m = co_await ctx.env.reservations.seat_map(a.id, zone);
  if (!m) co_return problem_response(req, m.failure());
  const std::string body = render_seat_map(a.id, zone, *m).dump();
  const std::string tag = etag_of(body);
  if (none_match(req[bhttp::field::if_none_match], tag)) {
    response res{bhttp::status::not_modified, req.version()};
    res.keep_alive(req.keep_alive());
    res.set(bhttp::field::etag, tag);
    res.set(bhttp::field::cache_control, "no-cache");
    co_return res;
  }
  auto res = json_text_response(req, 200, body);
  res.set(bhttp::field::etag, tag);
  res.set(bhttp::field::cache_control, "no-cache");
  co_return res;
}

}  // namespace seatgate::http::handlers
