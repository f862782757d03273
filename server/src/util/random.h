// Unguessable ids from the OS CSPRNG (getrandom(2)); thread-safe.
#pragma once

#include <string>

namespace seatgate::util {

// `bytes` random bytes, base64url-encoded without padding (16 -> 22 chars).
std::string random_token(std::size_t bytes = 16);
// A request id: 16 hex chars.
std::string request_id();

}  // namespace seatgate::util
