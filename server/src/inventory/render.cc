#include "inventory/render.h"

#include "util/time.h"

#include <charconv>

namespace seatgate::inventory {

namespace {

http::problem unavailable(std::string detail) {
  return {"unavailable", std::move(detail), true, 1};
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

const std::string& text_of(const redis::reply& r) { return r.str; }

}  // namespace

script_answer interpret(const redis::reply& r) {
  if (r.is_error()) return unavailable("storage error");
  if (!r.is_array() || r.elements.empty()) return unavailable("unexpected storage reply");
  const auto& head = r.elements[0].str;
  if (head == "OK") return script_ok{&r};
  if (head == "ERR" && r.elements.size() >= 2) {
    http::problem p;
    p.code = r.elements[1].str;
    std::int64_t retry = 0;
    if (r.elements.size() >= 3) {
      const auto& e = r.elements[2];
      retry = e.type == redis::reply::kind::integer ? e.integer : to_int(e.str).value_or(0);
    }
    p.retryable = retry > 0;
    if (retry > 0) p.retry_after = static_cast<unsigned>(retry);
    return p;
  }
  return unavailable("unexpected storage reply");
}

nlohmann::json render_reservation(const redis::reply& r, std::size_t first) {
  nlohmann::json j = {{"id", nullptr},         {"event_id", nullptr},     {"zone_id", nullptr},
                      {"user_id", nullptr},    {"quantity", nullptr},     {"amount", nullptr},
                      {"currency", nullptr},   {"status", nullptr},       {"created_at", nullptr},
                      {"expires_at", nullptr}, {"confirmed_at", nullptr}, {"payment_ref", nullptr}};
  for (std::size_t i = first; i + 1 < r.elements.size(); i += 2) {
    const std::string& k = text_of(r.elements[i]);
    const std::string& v = text_of(r.elements[i + 1]);
    if (v.empty()) continue;
    if (k == "quantity" || k == "amount") {
      if (auto n = to_int(v)) j[k] = *n;
    } else if (k == "created_at" || k == "expires_at" || k == "confirmed_at") {
      if (auto n = to_int(v)) j[k] = util::rfc3339_ms(*n);
    } else if (j.contains(k)) {
      j[k] = v;
    }
  }
  // expires_at describes a hold; once confirmed or released it no longer applies.
  if (j["status"] == "confirmed" || j["status"] == "released") j["expires_at"] = nullptr;
  return j;
}

namespace {

// The reservation's fields in the order nlohmann::json (a sorted map) dumps them.
enum field : int {
  f_amount,
  f_confirmed_at,
  f_created_at,
  f_currency,
  f_event_id,
  f_expires_at,
  f_id,
  f_payment_ref,
  f_quantity,
  f_status,
  f_user_id,
  f_zone_id,
  f_count
};
constexpr std::string_view k_field_names[f_count] = {
    "amount", "confirmed_at", "created_at", "currency", "event_id", "expires_at",
    "id",     "payment_ref",  "quantity",   "status",   "user_id",  "zone_id"};

int field_of(std::string_view k) {
  for (int i = 0; i < f_count; ++i)
    if (k_field_names[i] == k) return i;
  return -1;
}

bool is_int_field(int f) { return f == f_amount || f == f_quantity; }
bool is_time_field(int f) { return f == f_created_at || f == f_expires_at || f == f_confirmed_at; }

// A JSON string as nlohmann's dump() writes it: printable ASCII without a
// quote or backslash as is, anything else through nlohmann itself (same
// escapes, and the same error on invalid UTF-8).
void append_string(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      out.append(nlohmann::json(std::string(s)).dump());
      return;
    }
  }
  out.push_back('"');
  out.append(s);
  out.push_back('"');
}

}  // namespace

std::string reservation_json(const redis::reply& r, std::size_t first,
                             const known_reservation* known) {
  std::string_view v[f_count];  // empty = null
  std::string quantity;
  if (known) {
    quantity = std::to_string(known->quantity);
    v[f_id] = known->id;
    v[f_event_id] = known->event_id;
    v[f_zone_id] = known->zone_id;
    v[f_user_id] = known->user_id;
    v[f_quantity] = quantity;
    v[f_status] = "held";
  }
  for (std::size_t i = first; i + 1 < r.elements.size(); i += 2) {
    const std::string& value = text_of(r.elements[i + 1]);
    if (value.empty()) continue;
    const int f = field_of(text_of(r.elements[i]));
    if (f < 0) continue;
    if ((is_int_field(f) || is_time_field(f)) && !to_int(value)) continue;
    v[f] = value;
  }
  // expires_at describes a hold; once confirmed or released it no longer applies.
  if (v[f_status] == "confirmed" || v[f_status] == "released") v[f_expires_at] = {};

  std::string out;
  out.reserve(320);
  out.push_back('{');
  for (int f = 0; f < f_count; ++f) {
    if (f > 0) out.push_back(',');
    out.push_back('"');
    out.append(k_field_names[f]);
    out.append("\":");
    if (v[f].empty())
      out.append("null");
    else if (is_int_field(f))
      out.append(std::to_string(*to_int(v[f])));
    else if (is_time_field(f))
      out.append("\"").append(util::rfc3339_ms(*to_int(v[f]))).append("\"");
    else
      append_string(out, v[f]);
  }
  out.push_back('}');
  return out;
}

}  // namespace seatgate::inventory
