#include "http/render.h"

#include "util/time.h"

#include <nlohmann/json.hpp>
#include <string_view>

namespace seatgate::http {

namespace {

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

void append_key(std::string& out, std::string_view key) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

void append_text(std::string& out, std::string_view key, const std::string& v) {
  append_key(out, key);
  if (v.empty())
    out.append("null");
  else
    append_string(out, v);
  out.push_back(',');
}

void append_int(std::string& out, std::string_view key, const std::optional<std::int64_t>& v) {
  append_key(out, key);
  out.append(v ? std::to_string(*v) : "null");
  out.push_back(',');
}

void append_time(std::string& out, std::string_view key, const std::optional<std::int64_t>& ms) {
  append_key(out, key);
  if (ms)
    out.append("\"").append(util::rfc3339_ms(*ms)).append("\"");
  else
    out.append("null");
  out.push_back(',');
}

void append_reservation(std::string& out, const reservation& r) {
  // Keys in the order nlohmann::json (a sorted map) dumps them.
  out.push_back('{');
  append_int(out, "amount", r.amount);
  append_time(out, "confirmed_at", r.confirmed_at_ms);
  append_time(out, "created_at", r.created_at_ms);
  append_text(out, "currency", r.currency);
  append_text(out, "event_id", r.event_id);
  append_time(out, "expires_at", r.expires_at_ms);
  append_text(out, "id", r.id);
  append_text(out, "payment_ref", r.payment_ref);
  append_int(out, "quantity", r.quantity);
  if (!r.seats.empty()) {
    // Seat ids are [A-Za-z0-9]+-[0-9]+: no JSON escaping.
    append_key(out, "seats");
    out.push_back('[');
    for (const auto& s : r.seats) out.append("\"").append(s).append("\",");
    out.back() = ']';
    out.push_back(',');
  }
  append_text(out, "status", r.status);
  append_text(out, "user_id", r.user_id);
  append_text(out, "zone_id", r.zone_id);
  out.back() = '}';
}

}  // namespace

std::string reservation_json(const reservation& r) {
  std::string out;
  out.reserve(320);
  append_reservation(out, r);
  return out;
}

std::string reservation_page_json(const reservation_page& page) {
  std::string out;
  out.reserve(64 + 320 * page.items.size());
  out.push_back('{');
  append_text(out, "event_id", page.event_id);
  append_text(out, "next_cursor", page.next_cursor.value_or(""));
  append_key(out, "reservations");
  out.push_back('[');
  for (const auto& r : page.items) {
    append_reservation(out, r);
    out.push_back(',');
  }
  if (out.back() == ',')
    out.back() = ']';
  else
    out.push_back(']');
  out.push_back('}');
  return out;
}

std::string queue_state_json(const queue_state& s) {
  using kind = queue_state::kind;
  nlohmann::json j;
  switch (s.status) {
    case kind::waiting:
      j = {{"status", "waiting"}, {"position", s.position}, {"poll_after_ms", s.poll_after_ms}};
      break;
    case kind::admitted:
      j = {{"status", "admitted"},
           {"queue_pass", s.pass},
           {"pass_expires_at", util::rfc3339_ms(s.pass_expires_at_ms)}};
      break;
    case kind::not_required:
      j = {{"status", "not_required"}};
      break;
    case kind::not_joined:
      j = {{"status", "not_joined"}};
      break;
    case kind::left:
      j = {{"status", "left"}};
      break;
  }
  return j.dump();
}

}  // namespace seatgate::http
