// Unguessable ids from the OS CSPRNG (getrandom(2)); thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace seatgate::util {

// Fills `out` with `n` bytes from getrandom(2), retrying on EINTR and short
// reads. Throws std::system_error only if the kernel has no CSPRNG to offer.
void random_bytes(void* out, std::size_t n);

// random_token and request_id draw from a per-thread 4 KiB block of
// getrandom(2) output (refilled when spent; each byte used once), so an id
// costs no syscall of its own.
// `bytes` random bytes, base64url-encoded without padding (16 -> 22 chars).
std::string random_token(std::size_t bytes = 16);
// A request id: 16 hex chars.
std::string request_id();

}  // namespace seatgate::util
