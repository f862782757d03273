// JSON <-> domain types. Built with JSON_NOEXCEPTION: every access checks the
// type first, so malformed input is an error value, never an abort.
#include <nlohmann/json.hpp>

#include "seatgate/core.h"
#include "seatgate/types.h"

namespace seatgate {
namespace {

using json = nlohmann::json;

error bad(std::string what) {
  error e;
  e.code = errc::invalid_response;
  e.message = "The server's answer could not be read: " + std::move(what) + ".";
  return e;
}

const json* field(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

bool get(const json& j, const char* key, std::string& out) {
  const json* f = field(j, key);
  if (!f || !f->is_string()) return false;
  out = f->get_ref<const std::string&>();
  return true;
}

bool get(const json& j, const char* key, std::int64_t& out) {
  const json* f = field(j, key);
  if (!f || !f->is_number_integer()) return false;
  out = f->get<std::int64_t>();
  return true;
}

void get_opt(const json& j, const char* key, std::optional<std::string>& out) {
  std::string s;
  if (get(j, key, s)) out = std::move(s);
}

// An optional array of strings: false when present but not one.
bool get_strings(const json& j, const char* key, std::vector<std::string>& out) {
  const json* f = field(j, key);
  if (!f || f->is_null()) return true;
  if (!f->is_array()) return false;
  out.clear();
  for (const json& x : *f) {
    if (!x.is_string()) return false;
    out.push_back(x.get<std::string>());
  }
  return true;
}

json parse(std::string_view text) { return json::parse(text.begin(), text.end(), nullptr, false); }

// Never aborts on invalid UTF-8 from a caller: such bytes become U+FFFD.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

result<reservation> reservation_from(const json& j) {
  reservation r;
  if (!j.is_object()) return bad("a reservation is not an object");
  if (!get(j, "id", r.id) || !get(j, "event_id", r.event_id) || !get(j, "zone_id", r.zone_id) ||
      !get(j, "quantity", r.quantity) || !get(j, "status", r.status))
    return bad("a reservation lacks id, event_id, zone_id, quantity or status");
  get(j, "user_id", r.user_id);
  get(j, "amount", r.amount);
  get(j, "currency", r.currency);
  get(j, "created_at", r.created_at);
  get_opt(j, "expires_at", r.expires_at);
  get_opt(j, "confirmed_at", r.confirmed_at);
  get_opt(j, "payment_ref", r.payment_ref);
  if (!get_strings(j, "seats", r.seats)) return bad("a reservation's seats are not a list of ids");
  return r;
}

json reservation_json(const reservation& r) {
  json j{{"id", r.id},
         {"event_id", r.event_id},
         {"zone_id", r.zone_id},
         {"user_id", r.user_id},
         {"quantity", r.quantity},
         {"amount", r.amount},
         {"currency", r.currency},
         {"status", r.status},
         {"created_at", r.created_at},
         {"expires_at", opt(r.expires_at)},
         {"confirmed_at", opt(r.confirmed_at)},
         {"payment_ref", opt(r.payment_ref)},
         {"replayed", r.replayed}};
  if (!r.seats.empty()) j["seats"] = r.seats;  // seated zones only
  return j;
}

}  // namespace

const zone* event::find_zone(std::string_view zone_id) const {
  for (const auto& z : zones)
    if (z.id == zone_id) return &z;
  return nullptr;
}

bool apply_availability_change(event& ev, std::string_view text) {
  json j = parse(text);
  std::string id;
  if (!j.is_object() || !get(j, "event_id", id) || id != ev.id) return false;
  const json* zs = field(j, "zones");
  if (zs && !zs->is_array()) return false;
  event next = ev;
  get(j, "status", next.status);
  if (zs)
    for (const json& zj : *zs) {
      std::string zone_id;
      std::int64_t available = 0;
      if (!zj.is_object() || !get(zj, "id", zone_id) || !get(zj, "available", available))
        return false;
      for (auto& z : next.zones)
        if (z.id == zone_id) z.available = available;
    }
  ev = std::move(next);
  return true;
}

result<event> parse_event(std::string_view text) {
  json j = parse(text);
  if (!j.is_object()) return bad("an event is not a JSON object");
  event e;
  if (!get(j, "id", e.id)) return bad("an event lacks its id");
  get(j, "name", e.name);
  get(j, "currency", e.currency);
  get(j, "status", e.status);
  get(j, "hold_ttl_s", e.hold_ttl_s);
  get(j, "max_per_order", e.max_per_order);
  get(j, "max_per_user", e.max_per_user);
  if (const json* zs = field(j, "zones"); zs && zs->is_array()) {
    for (const json& zj : *zs) {
      zone z;
      if (!get(zj, "id", z.id)) return bad("a zone lacks its id");
      get(zj, "name", z.name);
      get(zj, "capacity", z.capacity);
      get(zj, "price", z.price);
      get(zj, "kind", z.kind);
      std::int64_t avail = 0;
      if (get(zj, "available", avail)) z.available = avail;
      e.zones.push_back(std::move(z));
    }
  }
  if (const json* wr = field(j, "waiting_room"); wr && wr->is_object()) {
    if (const json* en = field(*wr, "enabled"); en && en->is_boolean())
      e.room.enabled = en->get<bool>();
    get(*wr, "capacity", e.room.capacity);
    get(*wr, "admit_per_s", e.room.admit_per_s);
    get(*wr, "pass_ttl_s", e.room.pass_ttl_s);
    get(*wr, "max_queues_per_user", e.room.max_queues_per_user);
  }
  return e;
}

result<reservation> parse_reservation(std::string_view text) {
  return reservation_from(parse(text));
}

result<std::vector<reservation>> parse_reservation_list(std::string_view text) {
  json j = parse(text);
  const json* arr = j.is_array() ? &j : field(j, "reservations");
  if (!arr || !arr->is_array()) return bad("expected a list of reservations");
  std::vector<reservation> out;
  for (const json& rj : *arr) {
    auto r = reservation_from(rj);
    if (!r) return r.error();
    out.push_back(std::move(r).value());
  }
  return out;
}

std::optional<std::string> parse_next_cursor(std::string_view text) {
  json j = parse(text);
  std::string cursor;
  if (!j.is_object() || !get(j, "next_cursor", cursor)) return std::nullopt;
  return cursor;
}

result<queue_state> parse_queue_state(std::string_view text) {
  json j = parse(text);
  queue_state q;
  if (!get(j, "status", q.status)) return bad("a queue answer lacks its status");
  get(j, "position", q.position);
  get(j, "poll_after_ms", q.poll_after_ms);
  get(j, "queue_pass", q.queue_pass);
  get(j, "pass_expires_at", q.pass_expires_at);
  return q;
}

std::string to_json(const event& e) {
  json zones = json::array();
  for (const auto& z : e.zones) {
    json zj{{"id", z.id}, {"name", z.name}, {"capacity", z.capacity}, {"price", z.price}};
    if (z.available) zj["available"] = *z.available;
    if (z.kind != "general") zj["kind"] = z.kind;
    zones.push_back(std::move(zj));
  }
  json wr{{"enabled", e.room.enabled}};
  if (e.room.enabled) {
    wr["capacity"] = e.room.capacity;
    wr["admit_per_s"] = e.room.admit_per_s;
    wr["pass_ttl_s"] = e.room.pass_ttl_s;
    wr["max_queues_per_user"] = e.room.max_queues_per_user;
  }
  return dump(json{{"id", e.id},
                   {"name", e.name},
                   {"currency", e.currency},
                   {"status", e.status},
                   {"hold_ttl_s", e.hold_ttl_s},
                   {"max_per_order", e.max_per_order},
                   {"max_per_user", e.max_per_user},
                   {"zones", std::move(zones)},
                   {"waiting_room", std::move(wr)}});
}

std::string to_json(const reservation& r) { return dump(reservation_json(r)); }

std::string to_json(const std::vector<reservation>& list) {
  json arr = json::array();
  for (const auto& r : list) arr.push_back(reservation_json(r));
  return dump(json{{"reservations", std::move(arr)}});
}

std::string to_json(const queue_state& q) {
  json j{{"status", q.status}};
  if (q.status == "waiting") {
    j["position"] = q.position;
    j["poll_after_ms"] = q.poll_after_ms;
  }
  if (!q.queue_pass.empty()) {
    j["queue_pass"] = q.queue_pass;
    j["pass_expires_at"] = q.pass_expires_at;
  }
  return dump(j);
}

operation_params operation_params_from_json(std::string_view text) {
  const json j = parse(text);
  operation_params p;
  get(j, "event_id", p.event_id);
  get(j, "zone_id", p.zone_id);
  get(j, "quantity", p.quantity);
  get(j, "reservation_id", p.reservation_id);
  get(j, "idempotency_key", p.idempotency_key);
  get(j, "queue_pass", p.queue_pass);
  get_opt(j, "payment_ref", p.payment_ref);
  get(j, "sold_out_wait_ms", p.sold_out_wait_ms);
  get_strings(j, "seats", p.seats);
  if (const json* f = field(j, "best_available"); f && f->is_boolean())
    p.best_available = f->get<bool>();
  if (const json* f = field(j, "allow_split"); f && f->is_boolean()) p.allow_split = f->get<bool>();
  std::int64_t deadline_ms = 0;
  if (get(j, "deadline_ms", deadline_ms)) p.wait.deadline = milliseconds(deadline_ms);
  if (const json* f = field(j, "jitter"); f && f->is_number()) p.wait.jitter = f->get<double>();
  if (const json* f = field(j, "join"); f && f->is_boolean()) p.wait.join = f->get<bool>();
  return p;
}

std::string to_json(const operation_value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::monostate>)
          return "null";
        else
          return to_json(x);
      },
      v);
}

std::string to_json(const error& e) {
  json j{{"code", e.code},
         {"message", e.message},
         {"retryable", e.retryable},
         {"attempts", e.attempts}};
  j["status"] = e.http_status ? json(e.http_status) : json(nullptr);
  if (!e.cause.empty()) j["cause"] = e.cause;
  if (!e.request_id.empty()) j["request_id"] = e.request_id;
  if (e.retry_after_ms >= 0) j["retry_after_ms"] = e.retry_after_ms;
  if (!e.pass_expires_at.empty()) j["pass_expires_at"] = e.pass_expires_at;
  if (!e.taken.empty()) j["taken"] = e.taken;
  return dump(json{{"error", std::move(j)}});
}

// --- Assigned seating: the seat map ---

char seat_map::state_of(std::string_view seat_id) const {
  const auto dash = seat_id.rfind('-');
  if (dash == std::string_view::npos) return 0;
  const std::string_view row_id = seat_id.substr(0, dash);
  std::int64_t n = 0;
  for (char c : seat_id.substr(dash + 1)) {
    if (c < '0' || c > '9' || n > 100000) return 0;
    n = n * 10 + (c - '0');
  }
  for (const auto& row : rows)
    if (row.id == row_id) {
      if (n < 1 || n > row.seats || static_cast<std::size_t>(n) > row.states.size()) return 0;
      if (std::to_string(n) != seat_id.substr(dash + 1)) return 0;  // "A-012" is no seat
      return row.states[static_cast<std::size_t>(n - 1)];
    }
  return 0;
}

result<seat_map> parse_seat_map(std::string_view text) {
  json j = parse(text);
  if (!j.is_object()) return bad("a seat map is not a JSON object");
  seat_map m;
  get(j, "event_id", m.event_id);
  get(j, "zone_id", m.zone_id);
  get(j, "available", m.available);
  const json* rows = field(j, "rows");
  if (!rows || !rows->is_array()) return bad("a seat map lacks its rows");
  for (const json& rj : *rows) {
    seat_row r;
    if (!get(rj, "id", r.id) || !get(rj, "seats", r.seats) || !get(rj, "states", r.states) ||
        r.seats < 0 || static_cast<std::size_t>(r.seats) != r.states.size())
      return bad("a seat map row lacks its id, seats or states (one letter per seat)");
    if (const json* a = field(rj, "aisles_after"); a && a->is_array())
      for (const json& x : *a)
        if (x.is_number_integer()) r.aisles_after.push_back(x.get<std::int64_t>());
    m.rows.push_back(std::move(r));
  }
  if (!get_strings(j, "unavailable", m.unavailable))
    return bad("a seat map's unavailable is not a list");
  if (const json* c = field(j, "categories"); c && c->is_object())
    for (const auto& [name, ids] : c->items()) {
      std::vector<std::string> list;
      if (ids.is_array())
        for (const json& x : ids)
          if (x.is_string()) list.push_back(x.get<std::string>());
      m.categories.emplace_back(name, std::move(list));
    }
  if (const json* c = field(j, "category_prices"); c && c->is_object())
    for (const auto& [name, price] : c->items())
      if (price.is_number_integer())
        m.category_prices.emplace_back(name, price.get<std::int64_t>());
  return m;
}

std::string to_json(const seat_map& m) {
  json rows = json::array();
  for (const auto& r : m.rows)
    rows.push_back(json{
        {"id", r.id}, {"seats", r.seats}, {"aisles_after", r.aisles_after}, {"states", r.states}});
  json cats = json::object();
  for (const auto& [name, ids] : m.categories) cats[name] = ids;
  json prices = json::object();
  for (const auto& [name, p] : m.category_prices) prices[name] = p;
  json j{{"event_id", m.event_id},
         {"zone_id", m.zone_id},
         {"available", m.available},
         {"rows", std::move(rows)},
         {"unavailable", m.unavailable},
         {"categories", std::move(cats)},
         {"category_prices", std::move(prices)}};
  if (!m.etag.empty()) j["etag"] = m.etag;
  if (m.not_modified) j["not_modified"] = true;
  return dump(j);
}

}  // namespace seatgate
