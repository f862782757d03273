// A Lua script's header comment, read as the contract it states:
//   -- KEYS = {P ev, P z:<zone>, sg:{u:U}:queues, ...}
//   -- ARGV = {R, U, expire_batch?, token1, token2, ...}
// Key shapes: a leading "P " is the event's prefix, `<name>` and a lone
// capital letter (U user, R reservation id) are placeholders. Key shapes
// and argument names alike: "x?" may be left out (only at the end), "..."
// allows more.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seatgate/lua_scripts.h"

namespace seatgate::test {

using bindings = std::map<std::string, std::string>;

struct documented_call {
  std::optional<std::vector<std::string>> keys;  // none: no "KEYS = {...}" found
  std::optional<std::vector<std::string>> args;  // none: no "ARGV = {...}" found
};

// The script's own leading comment block, its lines joined by spaces (the
// embedded text starts with the prelude, then "-- <name>: ...").
std::string header_comment(const lua::script_source& s);

documented_call parse_header(std::string_view header);

// A documented list: its names without "?" and "...", how many of the first
// are required, whether "..." allows more.
struct listed_items {
  std::vector<std::string> names;
  std::size_t required = 0;
  bool more = false;
};
listed_items listed(const std::vector<std::string>& items);

// A key shape with its placeholders replaced from `bind`; an error message
// naming the placeholder when `bind` lacks one.
struct expanded {
  std::string key;
  std::string error;
};
expanded expand(std::string_view shape, const bindings& bind);

}  // namespace seatgate::test
