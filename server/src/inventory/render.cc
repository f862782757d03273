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

std::string key_prefix(std::string_view event_id) {
  std::string p;
  p.reserve(event_id.size() + 8);
  p.append("sg:{e:").append(event_id).append("}:");
  return p;
}

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
  nlohmann::json j = {{"id", nullptr},         {"event_id", nullptr},   {"zone_id", nullptr},
                      {"user_id", nullptr},    {"quantity", nullptr},   {"amount", nullptr},
                      {"currency", nullptr},   {"status", nullptr},     {"created_at", nullptr},
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

}  // namespace seatgate::inventory
