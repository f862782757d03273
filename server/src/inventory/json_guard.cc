#include "inventory/json_guard.h"

#include <seatgate/rules.h>

#include <set>
#include <vector>

namespace seatgate::inventory {

using json = nlohmann::json;

namespace {
constexpr std::size_t k_max_depth = 32;
}  // namespace

bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::optional<json> parse_json(std::string_view text, std::string& why) {
  if (has_nul(text)) {
    why = "the body is not valid JSON (it holds a NUL byte)";
    return std::nullopt;
  }
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::vector<bool> is_object;              // open containers
  bool duplicate = false, too_deep = false;
  const json::parser_callback_t cb = [&](int, json::parse_event_t ev, json& parsed) {
    switch (ev) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        is_object.push_back(ev == json::parse_event_t::object_start);
        if (is_object.back()) keys.emplace_back();
        if (is_object.size() > k_max_depth) too_deep = true;
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!is_object.empty()) {
          if (is_object.back()) keys.pop_back();
          is_object.pop_back();
        }
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second)
          duplicate = true;
        break;
      case json::parse_event_t::value:
        break;
    }
    return !(duplicate || too_deep);
  };
  json j = json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (duplicate) {
    why = "the body has a duplicate key";
    return std::nullopt;
  }
  if (too_deep) {
    why = "the body nests too deeply";
    return std::nullopt;
  }
  if (j.is_discarded()) {
    why = "the body is not valid JSON";
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> unknown_key(const json& obj,
                                       std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : obj.items()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k == a;
    if (!ok) return k;
  }
  return std::nullopt;
}

std::string read_int(const json& obj, const std::string& key, std::int64_t lo, std::int64_t hi,
                     std::optional<std::int64_t> def, std::int64_t& out, std::string_view where) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (!def) return "'" + name + "' is required";
    out = *def;
    return {};
  }
  const auto range =
      "'" + name + "' must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) return range;
    out = static_cast<std::int64_t>(u);
  } else if (it->is_number_integer()) {
    out = it->get<std::int64_t>();
  } else {
    return range;
  }
  if (out < lo || out > hi) return range;
  return {};
}

std::string read_string(const json& obj, const std::string& key, std::size_t max_len,
                        std::optional<std::string_view> def, std::string& out,
                        std::string_view where) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (!def) return "'" + name + "' is required";
    out = std::string(*def);
    return {};
  }
  if (!it->is_string()) return "'" + name + "' must be a string";
  out = it->get<std::string>();
  if (out.empty() || out.size() > max_len)
    return "'" + name + "' must be 1 to " + std::to_string(max_len) + " bytes long";
  for (unsigned char c : out)
    if (c < 0x20 || c == 0x7f) return "'" + name + "' must not contain control characters";
  return {};
}

std::string read_slug(const json& obj, const std::string& key, std::string& out,
                      std::string_view where) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) return "'" + name + "' is required";
  if (!it->is_string()) return "'" + name + "' must be a string";
  out = it->get<std::string>();
  if (!rules::is_slug(out)) return "'" + name + "' must match [a-z0-9][a-z0-9-]{0,63}";
  return {};
}

}  // namespace seatgate::inventory
