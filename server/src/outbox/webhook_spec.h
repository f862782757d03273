// A webhook endpoint as the admin gives it (PUT /v1/admin/webhooks/{id},
// docs/webhooks.md): its URL, the entry types and events it wants, its
// secret. Pure validation, plus the address rule of the SSRF guard, which
// the PUT and every connect apply to each resolved address.
#pragma once

#include "domain/result.h"

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::outbox {

inline constexpr std::size_t k_max_url_length = 2048;
inline constexpr std::size_t k_max_event_ids = 100;

struct target {
  bool tls = false;  // https
  std::string host;  // a name, or an address (IPv6 without brackets)
  std::uint16_t port = 0;
  std::string path;  // with the query; at least "/"
};

// https://host[:port][/path] (http:// too when `allow_private`). No user
// info, no fragment, at most k_max_url_length bytes. The detail says why not.
result<target> parse_url(std::string_view url, bool allow_private);

// Why a connection to `a` is refused, or nullopt when it is allowed:
// loopback, private, link-local (the cloud metadata service), shared,
// unspecified, multicast and reserved addresses need `allow_private`; a
// plain-http endpoint may reach only those (it exists for local receivers).
std::optional<std::string> refuse_address(const boost::asio::ip::address& a, bool tls,
                                          bool allow_private);

struct endpoint {
  std::string id;
  std::string url;
  std::vector<std::string> events;     // entry types (outbox/entry.h k_types)
  std::vector<std::string> event_ids;  // empty: every event
  std::string secret;
  std::int64_t created_at = 0;  // ms

  bool wants(std::string_view type, std::string_view event_id) const;
};

// The PUT's body for endpoint `id` (a slug). A missing secret is left empty
// (the caller generates one). invalid_request naming the field otherwise.
result<endpoint> parse_endpoint(std::string_view id, std::string_view body, bool allow_private);

}  // namespace seatgate::outbox
