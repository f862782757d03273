// Verifying a webhook delivery (docs/webhooks.md "Verifying a delivery"):
// the receiver recomputes HMAC-SHA256(secret, "<t>.<raw body>") and compares
// it with the v1 value of the Seatgate-Signature header, and refuses a
// timestamp more than `tolerance_s` away from its clock (a replay).
// Self-contained (no crypto library), so it builds wherever the SDK does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seatgate {

enum class webhook_verdict {
  valid,
  malformed_header,  // no t=, or no v1=
  bad_signature,     // no v1 matches: wrong secret, or the body or t changed
  too_old,           // t is more than the tolerance away from now
};

inline constexpr std::int64_t k_webhook_tolerance_s = 300;

// Checks a delivery: `header` is the Seatgate-Signature value, `body` the raw
// request body (bytes as received, before any JSON parsing), `now_s` the
// receiver's clock in unix seconds.
webhook_verdict verify_webhook(std::string_view secret, std::string_view header,
                               std::string_view body, std::int64_t now_s,
                               std::int64_t tolerance_s = k_webhook_tolerance_s);

// The hex HMAC-SHA256(secret, "<t>.<body>") (the v1 value), for tests and
// for receivers that sign their own fixtures.
std::string webhook_signature(std::string_view secret, std::int64_t t, std::string_view body);

}  // namespace seatgate
