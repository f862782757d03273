// Lowercase hex encoding and hex decoding: script SHA-1s, fingerprints,
// request ids, list cursors and percent-escapes all use these.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace seatgate::util {

inline constexpr char k_hex_digits[] = "0123456789abcdef";

// Appends the lowercase hex of `n` bytes at `p` to `out`.
inline void append_hex(std::string& out, const void* p, std::size_t n) {
  const auto* b = static_cast<const unsigned char*>(p);
  out.reserve(out.size() + 2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(k_hex_digits[b[i] >> 4]);
    out.push_back(k_hex_digits[b[i] & 0xf]);
  }
}

inline std::string hex_encode(std::string_view bytes) {
  std::string out;
  append_hex(out, bytes.data(), bytes.size());
  return out;
}

// The value of one hex digit (either case), or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes of an even-length hex string (either case); nullopt for an odd
// length or a non-hex character.
inline std::optional<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace seatgate::util
