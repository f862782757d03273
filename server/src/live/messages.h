// The Server-Sent Events a live availability stream carries
// (docs/openapi.yaml, GET /v1/events/{id}/stream): pure text, no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seatgate::live {

// `event: snapshot`: the whole event as GET /v1/events/{id} answers it, with
// the reconnect delay a client should use (`retry:`).
std::string snapshot_message(const nlohmann::json& event, std::uint64_t id,
                             std::chrono::milliseconds retry);

// `event: availability`: what changed from `before` to `after` (the status,
// and the zones whose `available` or seat_version moved, as {id, available}
// plus a seated zone's `seat_version`).
std::string change_message(const nlohmann::json& change, std::uint64_t id);

// `payload` appended to `out` as one HTTP/1.1 chunk (RFC 9112 §7.1), or as
// is when the response is not chunked (an HTTP/1.0 client).
void append_framed(std::string& out, std::string_view payload, bool chunked);

// A comment line: keeps proxies from closing a quiet stream.
inline constexpr std::string_view k_heartbeat = ":\n\n";

enum class difference { none, availability, shape };

// What a new read of the event is to the last one: nothing to say, an
// availability change (`change` is set to its message body), or a change of
// the event's shape (zones added or removed, names, prices, capacities...),
// which subscribers get as a new snapshot.
difference compare(const nlohmann::json& before, const nlohmann::json& after,
                   nlohmann::json& change);

}  // namespace seatgate::live
