// reserve_seats answers a new hold with one text (docs/redis-schema.md,
// Replies): "OK|<created_at>|<expires_at>|<amount>|<currency>", a seated
// hold's followed by "|<quantity>|<seats>". Pure, so the Lua tests read it
// with the server's own code.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace seatgate::store {

// True for a new hold's text.
bool is_new_hold(std::string_view text);

// A new hold's fields as the API names them, in the text's order (none for
// any other text).
std::vector<std::pair<std::string_view, std::string_view>> new_hold_pairs(std::string_view text);

}  // namespace seatgate::store
