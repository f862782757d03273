// The demo's signing secret, kept beside its data (docs/operations.md,
// "Demo mode"): with no SEATGATE_JWT_SECRET, a demo on a durable data
// directory signs with the secret stored there, so the tokens its pages hold
// stay valid across a restart, as the holds they made do.
#pragma once

#include <string>

namespace seatgate::demo {

// The secret in `<data_dir>/demo-jwt-secret` when that file holds one (at
// least 32 bytes); otherwise `fresh`, written there (mode 0600) for the next
// start. Throws std::runtime_error when the file cannot be read or written.
std::string kept_secret(const std::string& data_dir, const std::string& fresh);

}  // namespace seatgate::demo
