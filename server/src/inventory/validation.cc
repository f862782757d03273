#include "inventory/validation.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>
#include <stdexcept>
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

// nlohmann's lexer takes a NUL byte for the end of the input, so a value
// followed by "\0anything" would parse. JSON text never holds a raw NUL
// (not even inside a string), so any NUL makes the body invalid.
bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

// Parses JSON text, refusing duplicate keys (ambiguous: which one counts?),
// nesting deeper than k_max_depth and anything after the value but
// whitespace. nullopt + detail on failure.
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

// Printable ASCII, 1..255 bytes, no leading/trailing space.
bool is_printable_token(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return s.front() != ' ' && s.back() != ' ';
}

// The object's first key not in `allowed`, if any.
std::optional<std::string> unknown_key(const json& obj,
                                       std::initializer_list<std::string_view> allowed) {
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
                     std::optional<std::int64_t> def, std::int64_t& out,
                     std::string_view where = {}) {
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
                        std::string_view where = {}) {
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
                      std::string_view where = {}) {
  const std::string name = std::string(where) + key;
  const auto it = obj.find(key);
  if (it == obj.end()) return "'" + name + "' is required";
  if (!it->is_string()) return "'" + name + "' must be a string";
  out = it->get<std::string>();
  if (!is_slug(out)) return "'" + name + "' must match [a-z0-9][a-z0-9-]{0,63}";
  return {};
}

// The body every client sends: one flat object with exactly event_id and
// zone_id (slugs) and quantity (an integer in 1..100), any order. Read by
// nlohmann's SAX interface (the same lexer as json::parse, no DOM). Anything
// else stops it, and parse_reserve falls back to the full path, which finds
// the exact problem; so a body this accepts is one the full path accepts with
// the same values.
class reserve_sax {
 public:
  std::string event_id, zone_id;
  std::int64_t quantity = 0;
  bool complete() const { return seen_ == 7 && depth_ == 0 && closed_; }

  bool null() { return false; }
  bool boolean(bool) { return false; }
  bool number_integer(json::number_integer_t v) { return quantity_value(v); }
  bool number_unsigned(json::number_unsigned_t v) {
    return v <= 100 && quantity_value(static_cast<std::int64_t>(v));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return false; }
  bool string(json::string_t& v) {
    if (depth_ != 1 || (field_ != 0 && field_ != 1) || !is_slug(v)) return false;
    (field_ == 0 ? event_id : zone_id) = std::move(v);
    return true;
  }
  bool binary(json::binary_t&) { return false; }
  bool start_object(std::size_t) {
    if (depth_ != 0 || closed_) return false;
    depth_ = 1;
    return true;
  }
  bool key(json::string_t& k) {
    if (k == "event_id")
      field_ = 0;
    else if (k == "zone_id")
      field_ = 1;
    else if (k == "quantity")
      field_ = 2;
    else
      return false;
    const unsigned bit = 1u << field_;
    if (seen_ & bit) return false;  // duplicate key
    seen_ |= bit;
    return true;
  }
  bool end_object() {
    depth_ = 0;
    closed_ = true;
    return true;
  }
  bool start_array(std::size_t) { return false; }
  bool end_array() { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  bool quantity_value(std::int64_t v) {
    if (depth_ != 1 || field_ != 2 || v < 1 || v > 100) return false;
    quantity = v;
    return true;
  }
  int depth_ = 0;
  int field_ = -1;
  unsigned seen_ = 0;
  bool closed_ = false;
};

std::string reserve_canonical(const reserve_request& r) {
  // Slugs need no JSON escaping.
  std::string out;
  out.reserve(r.event_id.size() + r.zone_id.size() + 48);
  out.append(R"({"event_id":")").append(r.event_id).append(R"(","quantity":)");
  out.append(std::to_string(r.quantity))
      .append(R"(,"zone_id":")")
      .append(r.zone_id)
      .append(R"("})");
  return out;
}

// SHA-256 fetched once (EVP_sha256() makes OpenSSL 3 look it up on every
// digest); a context per thread, reused.
struct md_ctx_free {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string sha256_hex(std::string_view a, std::string_view b, std::string_view c) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!sha256 || !ctx || EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), c.data(), c.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out(len * 2, '0');
  for (unsigned i = 0; i < len; ++i) {
    out[2 * i] = k_hex[digest[i] >> 4];
    out[2 * i + 1] = k_hex[digest[i] & 0xf];
  }
  return out;
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
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
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
  {
    reserve_sax sax;
    // sax_parse is strict (only whitespace may follow the value), except for a NUL.
    if (!has_nul(body) && json::sax_parse(body.begin(), body.end(), &sax) && sax.complete()) {
      R r;
      r.event_id = std::move(sax.event_id);
      r.zone_id = std::move(sax.zone_id);
      r.quantity = sax.quantity;
      r.canonical = reserve_canonical(r);
      return {std::move(r), {}};
    }
  }
  std::string why;
  const auto j = parse_json(body, why);
  if (!j) return fail<R>("invalid_json", why);
  if (!j->is_object()) return fail<R>("invalid_request", "the body must be a JSON object");
  if (auto k = unknown_key(*j, {"event_id", "zone_id", "quantity"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");

  R r;
  if (auto e = read_slug(*j, "event_id", r.event_id); !e.empty())
    return fail<R>("invalid_request", e);
  if (auto e = read_slug(*j, "zone_id", r.zone_id); !e.empty())
    return fail<R>("invalid_request", e);
  if (!j->contains("quantity")) return fail<R>("invalid_request", "'quantity' is required");
  if (auto e = read_int(*j, "quantity", 1, 100, std::nullopt, r.quantity); !e.empty())
    return fail<R>("invalid_quantity", e);
  r.canonical = reserve_canonical(r);
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
      return fail<R>("invalid_request",
                     "'payment_ref' must be 1 to 255 printable ASCII characters");
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
  if (auto k = unknown_key(*j, {"status"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");
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
  if (auto k = unknown_key(*j, {"name", "currency", "status", "hold_ttl_s", "max_per_order",
                                "max_per_user", "zones", "waiting_room"}))
    return fail<R>("invalid_request", "unknown field '" + *k + "'");

  const auto invalid_request = [](std::string detail) {
    return fail<R>("invalid_request", std::move(detail));
  };
  std::string name, currency, status;
  if (auto e = read_string(*j, "name", 200, std::nullopt, name); !e.empty())
    return invalid_request(e);
  if (auto e = read_string(*j, "currency", 16, std::nullopt, currency); !e.empty())
    return invalid_request(e);
  const bool iso = currency.size() == 3 && std::all_of(currency.begin(), currency.end(),
                                                       [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!iso) return invalid_request("'currency' must be an ISO 4217 code such as \"EUR\"");
  if (auto e = read_string(*j, "status", 16, "on_sale", status); !e.empty())
    return invalid_request(e);
  if (status != "on_sale" && status != "paused" && status != "closed")
    return invalid_request("'status' must be on_sale, paused or closed");

  std::int64_t hold_ttl = 0, max_order = 0, max_user = 0;
  if (auto e = read_int(*j, "hold_ttl_s", 10, 86400, 600, hold_ttl); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(*j, "max_per_order", 1, 100, 10, max_order); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(*j, "max_per_user", 1, 10000, 10, max_user); !e.empty())
    return invalid_request(e);

  const auto zit = j->find("zones");
  if (zit == j->end()) return invalid_request("'zones' is required");
  if (!zit->is_array() || zit->empty() || zit->size() > 100)
    return invalid_request("'zones' must be an array of 1 to 100 zones");
  json zones = json::array();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < zit->size(); ++i) {
    const json& z = (*zit)[i];
    const std::string where = "zones[" + std::to_string(i) + "].";
    if (!z.is_object())
      return invalid_request("'" + where.substr(0, where.size() - 1) + "' must be an object");
    if (auto k = unknown_key(z, {"id", "name", "capacity", "price"}))
      return invalid_request("unknown field '" + where + *k + "'");
    std::string id, zname;
    std::int64_t capacity = 0, price = 0;
    if (auto e = read_slug(z, "id", id, where); !e.empty()) return invalid_request(e);
    if (!ids.insert(id).second) return invalid_request("zone id '" + id + "' appears twice");
    if (auto e = read_string(z, "name", 200, std::nullopt, zname, where); !e.empty())
      return invalid_request(e);
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
  if (auto k = unknown_key(
          room, {"enabled", "capacity", "admit_per_s", "pass_ttl_s", "max_queues_per_user"}))
    return invalid_request("unknown field 'waiting_room." + *k + "'");
  bool enabled = false;
  if (const auto eit = room.find("enabled"); eit != room.end()) {
    if (!eit->is_boolean()) return invalid_request("'waiting_room.enabled' must be true or false");
    enabled = eit->get<bool>();
  }
  std::int64_t room_capacity = 0, admit = 0, pass_ttl = 0, max_queues = 0;
  const std::string_view w = "waiting_room.";
  if (auto e = read_int(room, "capacity", 1, 1'000'000, 500, room_capacity, w); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(room, "admit_per_s", 1, 100'000, 50, admit, w); !e.empty())
    return invalid_request(e);
  if (auto e = read_int(room, "pass_ttl_s", 10, 86400, 300, pass_ttl, w); !e.empty())
    return invalid_request(e);
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

std::string encode_cursor(std::int64_t created_at_ms, std::string_view rid) {
  static constexpr char k_hex[] = "0123456789abcdef";
  const std::string plain = std::to_string(created_at_ms) + ":" + std::string(rid);
  std::string out;
  out.reserve(plain.size() * 2);
  for (unsigned char c : plain) {
    out.push_back(k_hex[c >> 4]);
    out.push_back(k_hex[c & 15]);
  }
  return out;
}

parsed<list_request> parse_list_query(std::string_view event_id,
                                      std::optional<std::string_view> limit,
                                      std::optional<std::string_view> cursor) {
  using R = list_request;
  R out;
  if (limit) {
    const bool digits =
        !limit->empty() && limit->size() <= 3 &&
        std::all_of(limit->begin(), limit->end(), [](char c) { return c >= '0' && c <= '9'; });
    const int n = digits ? std::stoi(std::string(*limit)) : 0;
    if (n < 1 || n > k_max_list_limit)
      return fail<R>("invalid_request", "'limit' must be an integer 1..100");
    out.limit = n;
  }
  if (cursor && !cursor->empty()) {
    const auto bad_cursor = [] {
      return fail<R>("invalid_request", "'cursor' is not a cursor of this list");
    };
    if (cursor->size() % 2 != 0 || cursor->size() > 512) return bad_cursor();
    std::string plain;
    plain.reserve(cursor->size() / 2);
    const auto nibble = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    for (std::size_t i = 0; i < cursor->size(); i += 2) {
      const int hi = nibble((*cursor)[i]), lo = nibble((*cursor)[i + 1]);
      if (hi < 0 || lo < 0) return bad_cursor();
      plain.push_back(static_cast<char>(hi * 16 + lo));
    }
    const auto colon = plain.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 15) return bad_cursor();
    std::int64_t at = 0;
    const auto [p, ec] = std::from_chars(plain.data(), plain.data() + colon, at);
    if (ec != std::errc() || p != plain.data() + colon || at < 0) return bad_cursor();
    std::string rid = plain.substr(colon + 1);
    if (event_of_reservation_id(rid) != std::optional<std::string>(std::string(event_id)))
      return bad_cursor();
    out.after_created_at = at;
    out.after_id = std::move(rid);
  }
  return {std::move(out), {}};
}

std::string fingerprint(std::string_view method, std::string_view path,
                        const nlohmann::json& canonical_body) {
  return fingerprint(method, path,
                     canonical_body.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string fingerprint(std::string_view method, std::string_view path,
                        const std::string& canonical_text) {
  std::string head;
  head.reserve(method.size() + path.size() + 2);
  head.append(method).append("\n").append(path).append("\n");
  return sha256_hex(head, canonical_text, {});
}

}  // namespace seatgate::inventory
