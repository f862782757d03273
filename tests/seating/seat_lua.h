// Test side of the seat scripts (docs/seating.md): replies as string lists,
// the seat library run through a tiny driver script by EVAL, and a seated
// zone for upsert_event (lua_client's event_config) as the server writes one.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lua_client.h"

namespace seatgate::test {

// A reply's elements as text (integers in decimal); an error reply throws.
std::vector<std::string> strings_of(const redisReply* r);

// lua/lib/seats.lua plus a driver, by EVAL with no keys:
//   ARGV = {layout_json, op, state, ...}
//   best: n, allow_split ("1"/"0") -> {"ok", seat ids...} | {"none"}
//   pick: ids_json -> {"ok", offsets...} | {code, "id,id", held "1"/"0"}
//   ids:  -> {"<id>=<offset of that id>" for every offset}
std::vector<std::string> run_library(lua_client& c, const nlohmann::json& layout,
                                     const std::vector<std::string>& args);

// A layout as stored: rows of (id, seats, aisles), no unavailable seats.
struct row_spec {
  std::string id;
  int seats;
  std::vector<int> aisles_after = {};
};
nlohmann::json layout_json(const std::vector<row_spec>& rows,
                           const std::vector<std::string>& unavailable = {});

// A seated zone of an event_config: capacity = seats less unavailable.
event_config::zone seated_zone(const std::string& id, const nlohmann::json& layout,
                               long long price = 4500);

}  // namespace seatgate::test
