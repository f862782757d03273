// HS256 user tokens minted by the load generator, as the site embedding the
// SDK would issue them (docs/operations.md): {"sub": user, "exp": ...}, signed with the
// server's SEATGATE_JWT_SECRET through OpenSSL's HMAC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seatgate::bench {

std::string base64url(std::string_view bytes);
std::string mint_hs256(std::string_view sub, std::int64_t exp_s, std::string_view secret);

}  // namespace seatgate::bench
