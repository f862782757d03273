// HS256 JSON Web Tokens (RFC 7519), verified with OpenSSL's HMAC.
// Only alg "HS256" is accepted; "none" and every other alg are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::auth {

struct claims {
  std::string sub;      // the user id (non-empty, <= 128 bytes)
  std::int64_t exp = 0; // seconds since the epoch
};

enum class jwt_error { none, malformed, bad_alg, bad_signature, expired, missing_claim };

struct verify_result {
  std::optional<claims> ok;
  jwt_error error = jwt_error::none;
};

// `now_s`: current time, seconds since the epoch. `exp` is required and must
// be > now_s. Constant-time signature comparison.
verify_result verify_hs256(std::string_view token, std::string_view secret, std::int64_t now_s);

// Issues a token (used by the demo login and by tests).
std::string sign_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret);

// Constant-time equality for the admin token (CRYPTO_memcmp; length leaks only).
bool constant_time_equal(std::string_view a, std::string_view b);

// base64url without padding (RFC 4648 §5).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace seatgate::auth
