// Where to connect: the --redis-url forms of docs/operations.md, parsed by a pure
// function so every form is unit-tested.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::redis {

struct endpoint {
  enum class kind { tcp, unix_socket };
  kind type = kind::tcp;
  std::string host;      // tcp: a name or an address (IPv6 without brackets)
  int port = 6379;       // tcp
  std::string path;      // unix_socket: absolute path of the socket
  std::string username;  // optional; sent as AUTH username password
  std::string password;  // AUTH is sent after connecting when not empty
};

// Accepts
//   redis://[[username]:password@]host[:port][/]   (host may be [IPv6])
//   unix:///absolute/path/to/socket
// Userinfo is percent-decoded. Anything else (rediss://, a database number,
// a relative socket path, a bad port) yields nullopt and, when `error` is
// given, a one-line reason.
std::optional<endpoint> parse_url(std::string_view url, std::string* error = nullptr);

// redis+cluster://[[username]:password@]host:port[,host:port...][/]: the
// seed nodes of a Redis Cluster (TCP only), each with the URL's credentials.
inline constexpr std::string_view k_cluster_scheme = "redis+cluster://";
std::optional<std::vector<endpoint>> parse_cluster_url(std::string_view url,
                                                       std::string* error = nullptr);

}  // namespace seatgate::redis
