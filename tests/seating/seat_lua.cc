#include "seat_lua.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seatgate::test {

namespace {

constexpr const char* k_driver = R"lua(
local ix = seats_index(cjson.decode(ARGV[1]))
local op, state = ARGV[2], ARGV[3]
if op == 'best' then
  local offs = seats_best(ix, state, tonumber(ARGV[4]), ARGV[5] == '1')
  if not offs then return {'none'} end
  local out = {'ok'}
  for _, o in ipairs(offs) do out[#out + 1] = seat_id(ix, o) end
  return out
elseif op == 'pick' then
  local offs, code, list, held = seats_pick(ix, state, cjson.decode(ARGV[4]))
  if offs then
    local out = {'ok'}
    for _, o in ipairs(offs) do out[#out + 1] = tostring(o) end
    return out
  end
  return {code, table.concat(list, ','), held and '1' or '0'}
elseif op == 'ids' then
  local out = {}
  for o = 1, ix.total do
    local id = seat_id(ix, o)
    out[o] = id .. '=' .. tostring(seat_offset(ix, id))
  end
  return out
end
return redis.error_reply('unknown op')
)lua";

std::string library_text() {
  std::ifstream in(SEATGATE_LUA_DIR "/lib/seats.lua");
  if (!in) throw std::runtime_error("cannot read lua/lib/seats.lua");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::vector<std::string> strings_of(const redisReply* r) {
  if (!r) throw std::runtime_error("no reply");
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error(std::string(r->str, r->len));
  if (r->type != REDIS_REPLY_ARRAY) throw std::runtime_error("not an array reply");
  std::vector<std::string> out;
  for (size_t i = 0; i < r->elements; ++i) {
    const auto* e = r->element[i];
    out.push_back(e->type == REDIS_REPLY_INTEGER ? std::to_string(e->integer)
                                                 : std::string(e->str, e->len));
  }
  return out;
}

std::vector<std::string> run_library(lua_client& c, const nlohmann::json& layout,
                                     const std::vector<std::string>& args) {
  static const std::string script = library_text() + k_driver;
  std::vector<std::string> argv = {"EVAL", script, "0", layout.dump()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = c.command(argv);
  return strings_of(r.get());
}

nlohmann::json layout_json(const std::vector<row_spec>& rows,
                           const std::vector<std::string>& unavailable) {
  nlohmann::json r = nlohmann::json::array();
  for (const auto& row : rows)
    r.push_back({{"id", row.id}, {"seats", row.seats}, {"aisles_after", row.aisles_after}});
  return {{"rows", r},
          {"unavailable", unavailable},
          {"categories", nlohmann::json::object()},
          {"category_prices", nlohmann::json::object()}};
}

event_config::zone seated_zone(const std::string& id, const nlohmann::json& layout,
                               long long price) {
  long long seats = 0;
  for (const auto& r : layout["rows"]) seats += r["seats"].get<long long>();
  event_config::zone z{id, seats - static_cast<long long>(layout["unavailable"].size()), price};
  z.layout = layout;
  return z;
}

}  // namespace seatgate::test
