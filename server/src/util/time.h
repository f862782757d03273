#pragma once

#include <cstdint>
#include <string>

namespace seatgate::util {

// Milliseconds since the epoch -> "2026-11-21T22:13:03.123Z" (RFC 3339, UTC).
std::string rfc3339_ms(std::int64_t ms);
std::int64_t now_ms();  // system_clock
std::int64_t now_s();

}  // namespace seatgate::util
