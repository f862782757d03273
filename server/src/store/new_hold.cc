#include "store/new_hold.h"

#include <iterator>

namespace seatgate::store {

namespace {
constexpr std::string_view k_prefix = "OK|";
}  // namespace

bool is_new_hold(std::string_view text) { return text.starts_with(k_prefix); }

std::vector<std::pair<std::string_view, std::string_view>> new_hold_pairs(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  if (!is_new_hold(text)) return out;
  // The seats come last: everything after the sixth '|' is theirs.
  static constexpr std::string_view names[] = {"created_at", "expires_at", "amount",
                                               "currency",   "quantity",   "seats"};
  std::string_view rest = text.substr(k_prefix.size());
  for (std::size_t i = 0; i < std::size(names); ++i) {
    const auto bar = i + 1 < std::size(names) ? rest.find('|') : std::string_view::npos;
    out.emplace_back(names[i], rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace seatgate::store
