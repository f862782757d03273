#include <cstdint>
#include <string>

#include "seatgate/core.h"

namespace seatgate {

std::string uuid_v4(const std::uint8_t (&random)[16]) {
  static constexpr char hex[] = "0123456789abcdef";
  std::uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = random[i];
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10xx
  std::string out(36, '-');
  int pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    out[pos++] = hex[b[i] >> 4];
    out[pos++] = hex[b[i] & 0x0f];
  }
  return out;
}

std::string uuid_v4(const environment& env) {
  std::uint8_t b[16];
  env.random_bytes(b, sizeof b);
  return uuid_v4(b);
}

bool is_uuid_v4(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

}  // namespace seatgate
