#include "store/decode.h"

#include "store/new_hold.h"
#include "store/record.h"

#include <charconv>

namespace seatgate::store {

namespace {

using redis::reply;

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The reservation hash's fields (docs/redis-schema.md) and where they go.
struct text_field {
  std::string_view name;
  std::string reservation::*member;
};
constexpr text_field k_text_fields[] = {{"id", &reservation::id},
                                        {"event_id", &reservation::event_id},
                                        {"zone_id", &reservation::zone_id},
                                        {"user_id", &reservation::user_id},
                                        {"currency", &reservation::currency},
                                        {"status", &reservation::status},
                                        {"payment_ref", &reservation::payment_ref}};
struct int_field {
  std::string_view name;
  std::optional<std::int64_t> reservation::*member;
};
constexpr int_field k_int_fields[] = {{"quantity", &reservation::quantity},
                                      {"amount", &reservation::amount},
                                      {"created_at", &reservation::created_at_ms},
                                      {"expires_at", &reservation::expires_at_ms},
                                      {"confirmed_at", &reservation::confirmed_at_ms}};

error unavailable(std::string detail) {
  return error{errc::unavailable, std::move(detail), true, 1};
}

// Sets the field `k` of `out` from the text `v` (empty = absent; an integer
// field that is not an integer stays absent).
void apply_field(reservation& out, std::string_view k, std::string_view v) {
  if (v.empty()) return;
  if (k == "record") {
    // The reservation's stored record (store/record.h) stands for its fields.
    if (const auto r = parse_record(v))
      for (const auto& [name, value] : named_fields(*r)) apply_field(out, name, value);
    return;
  }
  if (k == "seats") {
    out.seats = seat_list(v);
    return;
  }
  for (const auto& [name, member] : k_text_fields)
    if (k == name) out.*member = std::string(v);
  for (const auto& [name, member] : k_int_fields)
    if (k == name) {
      if (auto n = to_int(v)) out.*member = *n;
    }
}

}  // namespace

// A new hold's text (store/new_hold.h).
bool is_new_hold(const reply& r) {
  return r.type == reply::kind::string && is_new_hold(std::string_view(r.str));
}

std::vector<std::string> seat_list(std::string_view csv) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < csv.size();) {
    const auto comma = std::min(csv.find(',', at), csv.size());
    if (comma > at) out.emplace_back(csv.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

error storage_error(const boost::system::error_code& ec) {
  return unavailable("storage unavailable: " + ec.message());
}

std::optional<error> error_of(const reply& r) {
  if (r.is_error()) return unavailable("storage error");
  if (is_new_hold(r)) return std::nullopt;
  if (!r.is_array() || r.elements.empty()) return unavailable("unexpected storage reply");
  const auto& head = r.elements[0].str;
  if (head == "OK") return std::nullopt;
  if (head == "ERR" && r.elements.size() >= 2) {
    error e;
    e.code = errc_from_name(r.elements[1].str).value_or(errc::internal);
    std::int64_t retry = 0;
    if (r.elements.size() >= 3) {
      const auto& x = r.elements[2];
      retry = x.type == reply::kind::integer ? x.integer : to_int(x.str).value_or(0);
    }
    e.retryable = retry > 0;
    if (retry > 0) e.retry_after = static_cast<unsigned>(retry);
    // A refusal that names seats (docs/seating.md) lists them 4th, joined by ','.
    if (r.elements.size() >= 4 && (e.code == errc::seats_taken || e.code == errc::invalid_seats ||
                                   e.code == errc::capacity_below_committed)) {
      e.seats = seat_list(r.elements[3].str);
    }
    return e;
  }
  return unavailable("unexpected storage reply");
}

std::string_view refusal_code(const reply& r) {
  if (!r.is_array() || r.elements.size() < 2 || r.elements[0].str != "ERR") return {};
  return r.elements[1].str;
}

std::string field(const reply& r, std::size_t i) {
  if (!r.is_array() || i >= r.elements.size()) return {};
  const auto& e = r.elements[i];
  return e.type == reply::kind::integer ? std::to_string(e.integer) : e.str;
}

std::int64_t integer_of(const reply& r) {
  if (r.type == reply::kind::integer) return r.integer;
  return to_int(r.str).value_or(0);
}

reservation decode_reservation(const reply& r, std::size_t first, const known_reservation* known) {
  reservation out;
  if (known) {
    out.id = known->id;
    out.event_id = known->event_id;
    out.zone_id = known->zone_id;
    out.user_id = known->user_id;
    out.quantity = known->quantity;
    out.status = "held";
  }
  for (std::size_t i = first; i + 1 < r.elements.size(); i += 2)
    apply_field(out, r.elements[i].str, r.elements[i + 1].str);
  if (is_new_hold(r))
    for (const auto& [k, v] : new_hold_pairs(r.str)) apply_field(out, k, v);
  // expires_at describes a hold; once confirmed or released it no longer applies.
  if (out.status == "confirmed" || out.status == "released") out.expires_at_ms.reset();
  return out;
}

reservation_outcome decode_reservation_reply(const reply& r, const known_reservation* fresh) {
  reservation_outcome out;
  if (is_new_hold(r)) {
    out.created = fresh != nullptr;
    out.value = decode_reservation(r, 0, fresh);
    return out;
  }
  const auto& flag = r.elements.size() > 1 ? r.elements[1] : r.elements[0];
  out.replayed = flag.type == reply::kind::integer ? flag.integer == 1 : flag.str == "1";
  if (out.replayed) fresh = nullptr;  // a replay answers the stored hash in full
  out.created = fresh != nullptr;
  out.value = decode_reservation(r, 2, fresh);
  return out;
}

std::optional<queue_state> decode_queue_state(const reply& r,
                                              std::int64_t (*poll_after)(std::int64_t,
                                                                         std::int64_t)) {
  queue_state s;
  const std::string status = field(r, 1);
  if (status == "waiting" && r.elements.size() > 3) {
    s.status = queue_state::kind::waiting;
    s.position = integer_of(r.elements[2]);
    s.poll_after_ms = poll_after(s.position, integer_of(r.elements[3]));
  } else if (status == "admitted" && r.elements.size() > 3) {
    s.status = queue_state::kind::admitted;
    s.pass = field(r, 2);
    s.pass_expires_at_ms = integer_of(r.elements[3]);
  } else if (status == "not_required") {
    s.status = queue_state::kind::not_required;
  } else if (status == "not_joined") {
    s.status = queue_state::kind::not_joined;
  } else {
    return std::nullopt;
  }
  return s;
}

nlohmann::json decode_document(const reply& r) {
  if (r.elements.size() < 2) return nullptr;
  auto doc = nlohmann::json::parse(r.elements[1].str, nullptr, false);
  if (doc.is_discarded()) return r.elements[1].str;
  return doc;
}

}  // namespace seatgate::store
