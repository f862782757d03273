#include "outbox/webhook_spec.h"

#include "inventory/json_guard.h"
#include "inventory/validation.h"
#include "outbox/entry.h"

#include <algorithm>
#include <charconv>

namespace seatgate::outbox {

namespace {

namespace ip = boost::asio::ip;

error bad(std::string detail) { return fail(errc::invalid_request, std::move(detail)); }

bool in_v4(const ip::address_v4& a, std::uint32_t net, unsigned bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a.to_uint() & mask) == (net & mask);
}

bool internal_v4(const ip::address_v4& a) {
  constexpr std::pair<std::uint32_t, unsigned> k_nets[] = {
      {0x00000000, 8},   // "this" network
      {0x0a000000, 8},   // private
      {0x64400000, 10},  // shared (carrier NAT)
      {0x7f000000, 8},   // loopback
      {0xa9fe0000, 16},  // link-local, the metadata service 169.254.169.254
      {0xac100000, 12},  // private
      {0xc0000000, 24},  // IETF protocol assignments
      {0xc0a80000, 16},  // private
      {0xc6120000, 15},  // benchmarking
      {0xe0000000, 3},   // multicast, reserved, broadcast
  };
  for (auto [net, bits] : k_nets)
    if (in_v4(a, net, bits)) return true;
  return false;
}

bool internal_v6(const ip::address_v6& a) {
  if (a.is_v4_mapped()) return internal_v4(ip::make_address_v4(ip::v4_mapped, a));
  const auto b = a.to_bytes();
  return a.is_loopback() || a.is_unspecified() || a.is_multicast() || a.is_link_local() ||
         (b[0] & 0xfe) == 0xfc;  // unique local fc00::/7 (also fd00:ec2::254)
}

// host[:port] of an authority; IPv6 in brackets.
bool split_authority(std::string_view auth, bool tls, target& t, std::string& why) {
  std::string_view port;
  if (!auth.empty() && auth.front() == '[') {
    const auto close = auth.find(']');
    if (close == std::string_view::npos) return why = "unclosed '[' in the host", false;
    t.host = std::string(auth.substr(1, close - 1));
    auto rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return why = "junk after the IPv6 address", false;
      port = rest.substr(1);
    }
    boost::system::error_code ec;
    ip::make_address_v6(t.host, ec);
    if (ec) return why = "not an IPv6 address in brackets", false;
  } else {
    const auto colon = auth.rfind(':');
    t.host = std::string(auth.substr(0, colon));
    if (colon != std::string_view::npos) port = auth.substr(colon + 1);
    if (t.host.empty()) return why = "no host", false;
    for (char c : t.host) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.';
      if (!ok) return why = "the host may hold only letters, digits, '-' and '.'", false;
    }
  }
  t.port = tls ? 443 : 80;
  if (!port.empty()) {
    unsigned p = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || end != port.data() + port.size() || p == 0 || p > 65535)
      return why = "the port must be 1..65535", false;
    t.port = static_cast<std::uint16_t>(p);
  }
  return true;
}

std::string read_string_list(const nlohmann::json& body, const char* key, std::size_t max,
                             std::vector<std::string>& out) {
  const auto& v = body[key];
  if (!v.is_array()) return std::string(key) + " must be an array of strings";
  if (v.size() > max) return std::string(key) + " holds at most " + std::to_string(max) + " items";
  for (const auto& s : v) {
    if (!s.is_string()) return std::string(key) + " must be an array of strings";
    const auto& text = s.get_ref<const std::string&>();
    if (std::find(out.begin(), out.end(), text) != out.end())
      return std::string(key) + " names '" + text + "' twice";
    out.push_back(text);
  }
  return {};
}

}  // namespace

result<target> parse_url(std::string_view url, bool allow_private) {
  if (url.size() > k_max_url_length)
    return bad("url is longer than " + std::to_string(k_max_url_length) + " bytes");
  target t;
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    t.tls = true;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    if (!allow_private)
      return bad(
          "url must be https:// (http:// is for local receivers, with "
          "--webhooks-allow-private)");
    rest = url.substr(7);
  } else {
    return bad("url must start with https://");
  }
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f) return bad("url may hold no spaces or control characters");
  if (rest.find('#') != std::string_view::npos) return bad("url may hold no fragment");
  const auto slash = rest.find_first_of("/?");
  const auto auth = rest.substr(0, slash);
  if (auth.find('@') != std::string_view::npos) return bad("url may hold no user name or password");
  std::string why;
  if (!split_authority(auth, t.tls, t, why)) return bad("url: " + why);
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (t.path.front() == '?') t.path.insert(0, "/");
  return t;
}

std::optional<std::string> refuse_address(const ip::address& a, bool tls, bool allow_private) {
  const bool internal = a.is_v4() ? internal_v4(a.to_v4()) : internal_v6(a.to_v6());
  if (internal && !allow_private)
    return a.to_string() +
           " is a private, loopback or link-local address (allowed only with "
           "--webhooks-allow-private)";
  if (!internal && !tls) return "http:// may reach only private or loopback addresses";
  return std::nullopt;
}

bool endpoint::wants(std::string_view type, std::string_view event_id) const {
  if (std::find(events.begin(), events.end(), type) == events.end()) return false;
  return event_ids.empty() ||
         std::find(event_ids.begin(), event_ids.end(), event_id) != event_ids.end();
}

result<endpoint> parse_endpoint(std::string_view id, std::string_view body, bool allow_private) {
  if (!inventory::is_slug(id)) return bad("webhook id must match [a-z0-9][a-z0-9-]{0,63}");
  std::string why;
  auto json = inventory::parse_json(body, why);
  if (!json) return fail(errc::invalid_json, why);
  if (!json->is_object()) return bad("the body must be a JSON object");
  if (auto k = inventory::unknown_key(*json, {"url", "events", "event_ids", "secret"}))
    return bad("unknown field '" + *k + "'");
  endpoint ep;
  ep.id = std::string(id);
  if (!json->contains("url") || !(*json)["url"].is_string()) return bad("url must be a string");
  ep.url = (*json)["url"].get<std::string>();
  if (auto t = parse_url(ep.url, allow_private); !t) return t.failure();
  if (!json->contains("events")) return bad("events is required");
  if (auto e = read_string_list(*json, "events", k_types.size(), ep.events); !e.empty())
    return bad(e);
  if (ep.events.empty()) return bad("events must name at least one type");
  for (const auto& t : ep.events)
    if (!is_type(t))
      return bad("events: unknown type '" + t +
                 "' (reservation.held, reservation.confirmed, reservation.released, "
                 "reservation.expired)");
  if (json->contains("event_ids")) {
    if (auto e = read_string_list(*json, "event_ids", k_max_event_ids, ep.event_ids); !e.empty())
      return bad(e);
    for (const auto& e : ep.event_ids)
      if (!inventory::is_slug(e)) return bad("event_ids: '" + e + "' is not an event id");
  }
  if (json->contains("secret")) {
    if (auto e = inventory::read_string(*json, "secret", 256, std::nullopt, ep.secret); !e.empty())
      return bad(e);
    if (ep.secret.size() < 16) return bad("secret must be 16..256 bytes");
  }
  return ep;
}

}  // namespace seatgate::outbox
