// base64url without padding (RFC 4648 §5): JWT segments and random tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seatgate::util {

std::string base64url_encode(std::string_view bytes);
// Refuses padding, any character outside the alphabet and non-zero trailing
// bits (so every byte string has exactly one encoding).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace seatgate::util
