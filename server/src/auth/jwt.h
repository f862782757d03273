// HS256 JSON Web Tokens (RFC 7519), verified with OpenSSL's HMAC.
// Only alg "HS256" is accepted; "none" and every other alg are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/base64url.h"

namespace seatgate::auth {

// NumericDates are seconds since the epoch; a fraction is dropped (floor) and
// integers beyond ±k_max_date are clamped to it, so arithmetic on them cannot
// overflow.
struct claims {
  std::string sub;                  // the user id (non-empty, <= 128 bytes)
  std::int64_t exp = 0;             // expiry
  std::optional<std::int64_t> nbf;  // not before
  std::optional<std::int64_t> iat;  // issued at
};
inline constexpr std::int64_t k_max_date = 1'000'000'000'000'000;  // 10^15 s

enum class jwt_error {
  none,
  malformed,
  bad_alg,
  bad_signature,
  expired,
  missing_claim,
  bad_claim,          // nbf or iat present but not a number
  not_yet_valid,      // nbf > now + leeway
  issued_in_future,   // iat > now + leeway
  lifetime_too_long,  // exp - (iat, or now without iat) > max_lifetime_s
};

struct verify_result {
  std::optional<claims> ok;
  jwt_error error = jwt_error::none;
};

struct verify_options {
  std::int64_t leeway_s = 5;            // clock skew allowed for nbf and iat (not for exp)
  std::int64_t max_lifetime_s = 86400;  // longest accepted exp - iat (or exp - now)
};

// `now_s`: current time, seconds since the epoch. `exp` is required and must
// be > now_s (no leeway: a token dies on time). Constant-time signature
// comparison.
// Tokens over 4 KiB, without exactly three segments, or whose segments are
// not unpadded base64url / JSON objects are `malformed`. The header must say
// alg "HS256" exactly and carry no "crit" (else `bad_alg`); the signature is
// checked before the payload is parsed. `exp` must be a number and `sub` a
// string of 1..128 bytes without control characters (else `missing_claim`);
// a non-integer float beyond ±10^15 is `malformed`. `nbf` and `iat` are
// optional; when present they must be numbers (else `bad_claim`), nbf must
// be <= now_s + leeway (else `not_yet_valid`) and iat <= now_s + leeway (else
// `issued_in_future`). exp - iat, or exp - now_s without iat, must be at most
// max_lifetime_s (else `lifetime_too_long`): no token lives forever.
verify_result verify_hs256(std::string_view token, std::string_view secret, std::int64_t now_s,
                           const verify_options& opts = {});

// Stable name of an error ("bad_alg", ...) for logs and problem details.
std::string_view error_name(jwt_error e);

// Issues a token (used by the demo login and by tests).
std::string sign_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret);

// base64url(HMAC-SHA256(secret, signing_input)): the third segment of a
// token whose first two are `signing_input` ("<header>.<payload>").
std::string hs256_signature(std::string_view signing_input, std::string_view secret);

// Constant-time equality for the admin token (CRYPTO_memcmp; length leaks only).
bool constant_time_equal(std::string_view a, std::string_view b);

// The token segments' encoding (util/base64url.h), named here for callers
// that build or take apart tokens.
using util::base64url_decode;
using util::base64url_encode;

}  // namespace seatgate::auth
