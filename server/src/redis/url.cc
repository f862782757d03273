#include "redis/url.h"

#include "util/hex.h"

#include <charconv>

namespace seatgate::redis {
namespace {

std::optional<endpoint> fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = util::hex_value(in[i + 1]), lo = util::hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<endpoint> parse_url(std::string_view url, std::string* error) {
  constexpr std::string_view unix_scheme = "unix://";
  constexpr std::string_view redis_scheme = "redis://";
  endpoint ep;

  if (url.starts_with(unix_scheme)) {
    ep.type = endpoint::kind::unix_socket;
    ep.path = std::string(url.substr(unix_scheme.size()));
    if (ep.path.empty() || ep.path.front() != '/')
      return fail(error, "unix:// URL needs an absolute path (unix:///path/to/socket)");
    return ep;
  }
  if (!url.starts_with(redis_scheme)) {
    return fail(error, "unsupported Redis URL (use redis://host:port or unix:///path)");
  }

  std::string_view rest = url.substr(redis_scheme.size());
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash + 1 != rest.size()) return fail(error, "Redis URL must not name a database or path");
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    std::string_view user = userinfo, pass;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      pass = userinfo.substr(colon + 1);
    }
    auto u = percent_decode(user);
    auto p = percent_decode(pass);
    if (!u || !p) return fail(error, "bad percent-encoding in Redis URL credentials");
    ep.username = std::move(*u);
    ep.password = std::move(*p);
    if (ep.password.empty() && !ep.username.empty())
      return fail(error, "Redis URL has a username but no password");
  }

  std::string_view host = rest, port;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos)
      return fail(error, "unterminated [IPv6] host in Redis URL");
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(error, "junk after [IPv6] host in Redis URL");
      port = after.substr(1);
      if (port.empty()) return fail(error, "empty port in Redis URL");
    }
  } else if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return fail(error, "empty port in Redis URL");
  }
  if (host.empty()) return fail(error, "Redis URL has no host");
  ep.host = std::string(host);
  if (!port.empty()) {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535)
      return fail(error, "bad port in Redis URL");
    ep.port = value;
  }
  return ep;
}

std::optional<std::vector<endpoint>> parse_cluster_url(std::string_view url, std::string* error) {
  const auto no = [error](std::string why) -> std::optional<std::vector<endpoint>> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (!url.starts_with(k_cluster_scheme)) return no("a cluster URL starts with redis+cluster://");
  std::string_view rest = url.substr(k_cluster_scheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  std::string_view userinfo;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    userinfo = rest.substr(0, at + 1);
    rest = rest.substr(at + 1);
  }
  std::vector<endpoint> seeds;
  while (true) {
    auto comma = rest.find(',');
    std::string_view one = rest.substr(0, comma);
    if (one.empty()) return no("empty seed in Redis Cluster URL");
    std::string why;
    auto ep = parse_url("redis://" + std::string(userinfo) + std::string(one), &why);
    if (!ep) return no(why);
    seeds.push_back(std::move(*ep));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return seeds;
}

}  // namespace seatgate::redis
