// HS256 JSON Web Tokens (RFC 7519), verified with OpenSSL's HMAC.
// Only alg "HS256" is accepted; "none" and every other alg are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::auth {

struct claims {
  std::string sub;       // the user id (non-empty, <= 128 bytes)
  std::int64_t exp = 0;  // seconds since the epoch
};

enum class jwt_error { none, malformed, bad_alg, bad_signature, expired, missing_claim };

struct verify_result {
  std::optional<claims> ok;
  jwt_error error = jwt_error::none;
};

// `now_s`: current time, seconds since the epoch. `exp` is required and must
// be > now_s. Constant-time signature comparison.
// Tokens over 4 KiB, without exactly three segments, or whose segments are
// not unpadded base64url / JSON objects are `malformed`. The header must say
// alg "HS256" exactly and carry no "crit" (else `bad_alg`); the signature is
// checked before the payload is parsed. `exp` must be a number and `sub` a
// string of 1..128 bytes without control characters (else `missing_claim`).
verify_result verify_hs256(std::string_view token, std::string_view secret, std::int64_t now_s);

// Stable name of an error ("bad_alg", ...) for logs and problem details.
std::string_view error_name(jwt_error e);

// Issues a token (used by the demo login and by tests).
std::string sign_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret);

// base64url(HMAC-SHA256(secret, signing_input)): the third segment of a
// token whose first two are `signing_input` ("<header>.<payload>").
std::string hs256_signature(std::string_view signing_input, std::string_view secret);

// Constant-time equality for the admin token (CRYPTO_memcmp; length leaks only).
bool constant_time_equal(std::string_view a, std::string_view b);

// base64url without padding (RFC 4648 §5). Decoding refuses padding, any
// character outside the alphabet and non-zero trailing bits.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace seatgate::auth
