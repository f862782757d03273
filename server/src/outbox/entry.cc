#include "outbox/entry.h"

#include "store/record.h"
#include "util/time.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace seatgate::outbox {

namespace {

bool to_int(const std::string& s, std::int64_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const auto comma = s.find(',', start);
    const auto end = comma == std::string::npos ? s.size() : comma;
    if (end > start) out.push_back(s.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

nlohmann::json time_or_null(std::optional<std::int64_t> ms) {
  return ms ? nlohmann::json(util::rfc3339_ms(*ms)) : nlohmann::json(nullptr);
}

nlohmann::json text_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json reservation_value(const entry& e) {
  return {{"id", e.id},
          {"event_id", e.event_id},
          {"zone_id", e.zone_id},
          {"user_id", e.user_id},
          {"quantity", e.quantity},
          {"amount", e.amount},
          {"currency", e.currency},
          {"status", e.status},
          {"created_at", time_or_null(e.created_at)},
          {"expires_at", time_or_null(e.expires_at)},
          {"confirmed_at", time_or_null(e.confirmed_at)},
          {"payment_ref", text_or_null(e.payment_ref)},
          {"seats", e.seats},
          {"version", e.version}};
}

using field_list = std::vector<std::pair<std::string, std::string>>;

// An entry the scripts write ({id, event_id, occurred_at, record}): the flat
// fields its record stands for, so one check below reads both forms (the
// retry stream and entries written before the record form are flat).
// nullopt for a flat entry; a record that does not parse leaves its fields
// missing, and the entry is refused.
std::optional<field_list> flat_fields(const field_list& fields) {
  const std::string* text = nullptr;
  for (const auto& [k, v] : fields)
    if (k == "record") text = &v;
  if (!text) return std::nullopt;
  field_list out;
  for (const auto& [k, v] : fields)
    if (k != "record") out.emplace_back(k, v);
  const auto r = store::parse_record(*text);
  if (!r) return out;
  out.emplace_back("type", "reservation." + r->status);
  for (const auto& [k, v] : store::named_fields(*r)) out.emplace_back(k, v);
  return out;
}

}  // namespace

bool is_type(std::string_view t) {
  for (auto k : k_types)
    if (k == t) return true;
  return false;
}

std::optional<entry> parse(std::string stream_id,
                           const std::vector<std::pair<std::string, std::string>>& fields) {
  if (auto flat = flat_fields(fields)) return parse(std::move(stream_id), *flat);
  entry e;
  e.stream_id = std::move(stream_id);
  unsigned seen = 0;
  bool ok = true;
  for (const auto& [k, v] : fields) {
    const auto num = [&](std::int64_t& out) { ok = ok && to_int(v, out); };
    if (k == "type") {
      e.type = v;
    } else if (k == "occurred_at") {
      num(e.occurred_at);
    } else if (k == "id") {
      e.id = v;
    } else if (k == "event_id") {
      e.event_id = v;
    } else if (k == "zone_id") {
      e.zone_id = v;
    } else if (k == "user_id") {
      e.user_id = v;
    } else if (k == "quantity") {
      num(e.quantity);
    } else if (k == "amount") {
      num(e.amount);
    } else if (k == "currency") {
      e.currency = v;
    } else if (k == "status") {
      e.status = v;
    } else if (k == "created_at") {
      num(e.created_at);
    } else if (k == "expires_at") {
      num(e.expires_at);
    } else if (k == "confirmed_at") {
      std::int64_t t = 0;
      if (!v.empty()) ok = ok && to_int(v, t), e.confirmed_at = t;
    } else if (k == "payment_ref") {
      e.payment_ref = v;
    } else if (k == "version") {
      num(e.version);
    } else if (k == "seats") {
      e.seats = split_commas(v);
    } else {
      continue;  // a field a later version added
    }
    ++seen;
  }
  if (!ok || seen < k_fields.size() || e.id.empty() || e.event_id.empty() || !is_type(e.type))
    return std::nullopt;
  return e;
}

std::vector<std::pair<std::string, std::string>> to_fields(const entry& e) {
  std::string seats;
  for (const auto& s : e.seats) seats += (seats.empty() ? "" : ",") + s;
  return {{"type", e.type},
          {"occurred_at", std::to_string(e.occurred_at)},
          {"id", e.id},
          {"event_id", e.event_id},
          {"zone_id", e.zone_id},
          {"user_id", e.user_id},
          {"quantity", std::to_string(e.quantity)},
          {"amount", std::to_string(e.amount)},
          {"currency", e.currency},
          {"status", e.status},
          {"created_at", std::to_string(e.created_at)},
          {"expires_at", std::to_string(e.expires_at)},
          {"confirmed_at", e.confirmed_at ? std::to_string(*e.confirmed_at) : ""},
          {"payment_ref", e.payment_ref},
          {"version", std::to_string(e.version)},
          {"seats", seats}};
}

std::string change_id(const entry& e) { return e.event_id + "." + e.stream_id; }

std::string delivery_id(const entry& e, std::string_view endpoint) {
  return change_id(e) + "." + std::string(endpoint);
}

std::string reservation_json(const entry& e) { return reservation_value(e).dump(); }

std::string payload(const entry& e) {
  const nlohmann::json body = {{"id", change_id(e)},
                               {"type", e.type},
                               {"created_at", util::rfc3339_ms(e.occurred_at)},
                               {"data", {{"reservation", reservation_value(e)}}}};
  return body.dump();
}

}  // namespace seatgate::outbox
