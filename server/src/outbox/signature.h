// The webhook signature (docs/webhooks.md "Verifying a delivery"):
// `Seatgate-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
// Pure; the SDK's verifiers compute the same (tests/vectors/webhook_signature.json).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seatgate::outbox {

// Lowercase hex of HMAC-SHA256(secret, "<t>.<body>").
std::string signature_v1(std::string_view secret, std::int64_t t, std::string_view body);
// The whole header value for a delivery made at unix second `t`.
std::string signature_header(std::string_view secret, std::int64_t t, std::string_view body);
// A fresh secret for an endpoint given none: "whsec_" and 32 random bytes (base64url).
std::string new_secret();

}  // namespace seatgate::outbox
