#include "redis/cluster/redirect.h"

#include "redis/cluster/slot.h"
#include "redis/error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace seatgate::redis::cluster {
namespace {

// "<slot> <host:port>" after the MOVED / ASK word.
bool parse_target(std::string_view rest, redirect& out) {
  auto space = rest.find(' ');
  if (space == std::string_view::npos) return false;
  auto slot_text = rest.substr(0, space);
  int slot = -1;
  auto [end, ec] = std::from_chars(slot_text.data(), slot_text.data() + slot_text.size(), slot);
  if (ec != std::errc{} || end != slot_text.data() + slot_text.size() || slot < 0 ||
      slot >= k_slots)
    return false;
  auto to = parse_address(rest.substr(space + 1));
  if (!to) return false;
  out.slot = slot;
  out.to = std::move(*to);
  return true;
}

bool starts_with_word(std::string_view text, std::string_view word) {
  return text.starts_with(word) && (text.size() == word.size() || text[word.size()] == ' ');
}

}  // namespace

redirect decide(const boost::system::error_code& ec, const reply& r) {
  redirect out;
  if (ec) {
    if (ec == errc::not_connected || ec == errc::connection_lost)
      out.what = redirect::action::retry;
    return out;
  }
  if (!r.is_error()) return out;
  const std::string_view text = r.str;
  if (text.starts_with("MOVED ") && parse_target(text.substr(6), out)) {
    out.what = redirect::action::moved;
    return out;
  }
  if (text.starts_with("ASK ") && parse_target(text.substr(4), out)) {
    out.what = redirect::action::ask;
    return out;
  }
  out = redirect{};
  constexpr std::array<std::string_view, 5> transient = {"TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN",
                                                         "LOADING", "READONLY"};
  for (auto word : transient)
    if (starts_with_word(text, word)) out.what = redirect::action::retry;
  return out;
}

std::chrono::milliseconds retry_backoff(int attempt) {
  return std::chrono::milliseconds(10 << std::clamp(attempt, 0, 5));
}

}  // namespace seatgate::redis::cluster
