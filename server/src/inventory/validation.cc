#include "inventory/validation.h"

#include <openssl/evp.h>

#include <algorithm>
#include <set>
#include <vector>

namespace seatgate::inventory {
namespace {

using json = nlohmann::json;

constexpr std::size_t k_max_depth = 32;

invalid bad(std::string code, std::string detail) { return {std::move(code), std::move(detail)}; }

template <class T>
parsed<T> fail(std::string code, std::string detail) {
  parsed<T> p;
  p.error = bad(std::move(code), std::move(detail));
  return p;
}

// Parses JSON text, refusing duplicate keys (ambiguous: which one counts?)
// and nesting deeper than k_max_depth. nullopt + detail on failure.
std::optional<json> parse_json(std::string_view text, std::string& why) {
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
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) duplicate = true;
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

// Printable ASCII, 1..255 bytes, no leading/trailing space.
bool is_printable_token(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return s.front() != ' ' && s.back() != ' ';
}

// The object's first key not in `allowed`, if any.
std::optional<std::string> unknown_key(const json& obj, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : obj.items()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k == a;
    if (!ok) return k;
  }
  return std::nullopt;
}

// Reads an integer field in [lo, hi]. Floats (even 2.0) are not integers.
// Returns "" when fine or the detail of the failure.
std::string read_int(const json& obj, const std::string& key, std::int64_t lo, std::int64_t hi,
                     std::optional<std::int64_t> def, std::int64_t& out, std::string_view where = {}) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (!def) return "'" + name + "' is required";
    out = *def;
    return {};
  }
  const auto range = "'" + name + "' must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
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
                        std::optional<std::string_view> def, std::string& out, std::string_view where = {}) {
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

std::string read_slug(const json& obj, const std::string& key, std::string& out, std::string_view where = {}) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) return "'" + name + "' is required";
  if (!it->is_string()) return "'" + name + "' must be a string";
  out = it->get<std::string>();
  if (!is_slug(out)) return "'" + name + "' must match [a-z0-9][a-z0-9-]{0,63}";
  return {};
}

}  // namespace

bool is_slug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || c != '-')) return false;
  }
  return true;
}

std::optional<std::string> event_of_reservation_id(std::string_view rid) {
  const auto dot = rid.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto event = rid.substr(0, dot);
  const auto token = rid.substr(dot + 1);
  if (!is_slug(event) || token.size() != 22) return std::nullopt;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_';
    if (!ok) return std::nullopt;
  }
  return std::string(event);
}

std::string check_idempotency_key(std::optional<std::string_view> key) {
  if (!key) return "missing_idempotency_key";
  return is_printable_token(*key) ? "" : "invalid_idempotency_key";
}

parsed<reserve_request> parse_reserve(std::string_view body) {
  using R = reserve_request;
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>("invalid_json", why);
  if (!j->is_object()) return fail<R>("invalid_request", "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"event_id", "zone_id", "quantity"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");

  R r;
  if (auto e = read_slug(*j, "event_id", r.event_id); !e.empty()) return fail<R>("invalid_request", e);
  if (auto e = read_slug(*j, "zone_id", r.zone_id); !e.empty()) return fail<R>("invalid_request", e);
  if (!j->contains("quantity")) return fail<R>("invalid_request", "'quantity' is required");
  if (auto e = read_int(*j, "quantity", 1, 100, std::nullopt, r.quantity); !e.empty())
    return fail<R>("invalid_quantity", e);
  r.canonical = json{{"event_id", r.event_id}, {"quantity", r.quantity}, {"zone_id", r.zone_id}};
  return {std::move(r), {}};
}

parsed<confirm_request> parse_confirm(std::string_view body) {
  using R = confirm_request;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) body = "{}";
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>("invalid_json", why);
  if (!j->is_object()) return fail<R>("invalid_request", "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"payment_ref"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");
  R r;
  r.canonical = json::object();
  if (const auto it = j->find("payment_ref"); it != j->end() && !it->is_null()) {
    if (!it->is_string() || !is_printable_token(it->get_ref<const std::string&>()))
      return fail<R>("invalid_request", "'payment_ref' must be 1 to 255 printable ASCII characters");
    r.payment_ref = it->get<std::string>();
    r.canonical["payment_ref"] = *r.payment_ref;
  }
  return {std::move(r), {}};
}

parsed<status_request> parse_status(std::string_view body) {
  using R = status_request;
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>("invalid_json", why);
  if (!j->is_object()) return fail<R>("invalid_request", "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"status"})) return fail<R>("invalid_request", "unknown field '" + *k + "'");
  const auto it = j->find("status");
  if (it == j->end()) return fail<R>("invalid_request", "'status' is required");
  if (!it->is_string()) return fail<R>("invalid_request", "'status' must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s != "on_sale" && s != "paused" && s != "closed")
    return fail<R>("invalid_request", "'status' must be on_sale, paused or closed");
  return {R{s}, {}};
}

parsed<json> parse_event_config(std::string_view body) {
  using R = json;
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>("invalid_json", why);
  if (!j->is_object()) return fail<R>("invalid_request", "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"name", "currency", "status", "hold_ttl_s", "max_per_order", "max_per_user",
                                "zones", "waiting_room"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");

  const auto invalid_request = [](std::string detail) { return fail<R>("invalid_request", std::move(detail)); };
  std::string name, currency, status;
  if (auto e = read_string(*j, "name", 200, std::nullopt, name); !e.empty()) return invalid_request(e);
  if (auto e = read_string(*j, "currency", 16, std::nullopt, currency); !e.empty()) return invalid_request(e);
  const bool iso = currency.size() == 3 && std::all_of(currency.begin(), currency.end(),
                                                       [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!iso) return invalid_request("'currency' must be an ISO 4217 code such as \"EUR\"");
  if (auto e = read_string(*j, "status", 16, "on_sale", status); !e.empty()) return invalid_request(e);
  if (status != "on_sale" && status != "paused" && status != "closed")
    return invalid_request("'status' must be on_sale, paused or closed");

  std::int64_t hold_ttl = 0, max_order = 0, max_user = 0;
  if (auto e = read_int(*j, "hold_ttl_s", 10, 86400, 600, hold_ttl); !e.empty()) return invalid_request(e);
  if (auto e = read_int(*j, "max_per_order", 1, 100, 10, max_order); !e.empty()) return invalid_request(e);
  if (auto e = read_int(*j, "max_per_user", 1, 10000, 10, max_user); !e.empty()) return invalid_request(e);

  const auto zit = j->find("zones");
  if (zit == j->end()) return invalid_request("'zones' is required");
  if (!zit->is_array() || zit->empty() || zit->size() > 100)
    return invalid_request("'zones' must be an array of 1 to 100 zones");
  json zones = json::array();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < zit->size(); ++i) {
    const json& z = (*zit)[i];
    const std::string where = "zones[" + std::to_string(i) + "].";
    if (!z.is_object()) return invalid_request("'" + where.substr(0, where.size() - 1) + "' must be an object");
    if (auto k = unknown_key(z, {"id", "name", "capacity", "price"}))
      return invalid_request("unknown field '" + where + *k + "'");
    std::string id, zname;
    std::int64_t capacity = 0, price = 0;
    if (auto e = read_slug(z, "id", id, where); !e.empty()) return invalid_request(e);
    if (!ids.insert(id).second) return invalid_request("zone id '" + id + "' appears twice");
    if (auto e = read_string(z, "name", 200, std::nullopt, zname, where); !e.empty()) return invalid_request(e);
    if (auto e = read_int(z, "capacity", 0, 10'000'000, std::nullopt, capacity, where); !e.empty())
      return invalid_request(e);
    if (auto e = read_int(z, "price", 0, 1'000'000'000'000, std::nullopt, price, where); !e.empty())
      return invalid_request(e);
    zones.push_back({{"id", id}, {"name", zname}, {"capacity", capacity}, {"price", price}});
  }

  json room = json::object();
  if (const auto wit = j->find("waiting_room"); wit != j->end() && !wit->is_null()) {
    room = *wit;
    if (!room.is_object()) return invalid_request("'waiting_room' must be an object");
  }
  if (auto k = unknown_key(room, {"enabled", "capacity", "admit_per_s", "pass_ttl_s", "max_queues_per_user"}))
    return invalid_request("unknown field 'waiting_room." + *k + "'");
  bool enabled = false;
  if (const auto eit = room.find("enabled"); eit != room.end()) {
    if (!eit->is_boolean()) return invalid_request("'waiting_room.enabled' must be true or false");
    enabled = eit->get<bool>();
  }
  std::int64_t room_capacity = 0, admit = 0, pass_ttl = 0, max_queues = 0;
  const std::string_view w = "waiting_room.";
  if (auto e = read_int(room, "capacity", 1, 1'000'000, 500, room_capacity, w); !e.empty()) return invalid_request(e);
  if (auto e = read_int(room, "admit_per_s", 1, 100'000, 50, admit, w); !e.empty()) return invalid_request(e);
  if (auto e = read_int(room, "pass_ttl_s", 10, 86400, 300, pass_ttl, w); !e.empty()) return invalid_request(e);
  if (auto e = read_int(room, "max_queues_per_user", 1, 100, 2, max_queues, w); !e.empty())
    return invalid_request(e);

  json out = {{"name", name},
              {"currency", currency},
              {"status", status},
              {"hold_ttl_s", hold_ttl},
              {"max_per_order", max_order},
              {"max_per_user", max_user},
              {"zones", std::move(zones)},
              {"waiting_room",
               {{"enabled", enabled},
                {"capacity", room_capacity},
                {"admit_per_s", admit},
                {"pass_ttl_s", pass_ttl},
                {"max_queues_per_user", max_queues}}}};
  return {std::move(out), {}};
}

std::string fingerprint(std::string_view method, std::string_view path, const nlohmann::json& canonical_body) {
  std::string input;
  input.append(method).append("\n").append(path).append("\n");
  input.append(canonical_body.dump(-1, ' ', false, json::error_handler_t::replace));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(k_hex[digest[i] >> 4]);
    out.push_back(k_hex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace seatgate::inventory
