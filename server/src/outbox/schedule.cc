#include "outbox/schedule.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace seatgate::outbox {

std::chrono::milliseconds retry_delay(const retry_schedule& s, unsigned failures, double r) {
  const unsigned shift = std::min(failures > 0 ? failures - 1 : 0u, 40u);
  const auto full = std::min<std::int64_t>(s.first.count() << shift, s.max.count());
  const auto half = full / 2;
  return std::chrono::milliseconds(half + static_cast<std::int64_t>(r * (full - half)));
}

bool parse_schedule(std::string_view text, retry_schedule& out) {
  std::int64_t v[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v[i]);
    if (part.empty() || ec != std::errc{} || p != part.data() + part.size()) return false;
    if ((i < 2) != (comma != std::string_view::npos)) return false;
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  if (v[0] < 1 || v[1] < v[0] || v[2] < 0) return false;
  out = {std::chrono::milliseconds(v[0]), std::chrono::milliseconds(v[1]),
         std::chrono::milliseconds(v[2])};
  return true;
}

}  // namespace seatgate::outbox
