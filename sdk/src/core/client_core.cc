// The operation table: for every operation kind, its name, how its request
// is built (the client_core methods below, with validation), the type its
// 2xx answer decodes to, and what that answer teaches the snapshots. Drivers
// (native, C, WebAssembly) know none of this: they loop and serialise.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <variant>

#include "state.h"

namespace seatgate {
namespace {

using json = nlohmann::json;
using detail::core_state;
using detail::op_state;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::unique_ptr<op_state> make(const std::shared_ptr<detail::core_state>& core, operation_kind k,
                               std::string method, std::string path) {
  auto s = std::make_unique<op_state>();
  s->core = core;
  s->kind = k;
  s->method = std::move(method);
  s->path = std::move(path);
  return s;
}

void check(op_state& s, std::optional<error> e) {
  if (e && !s.invalid) s.invalid = std::move(e);
}

// An operation on one event: the id is kept (snapshots, the queue pass) and
// validated.
std::unique_ptr<op_state> on_event(const std::shared_ptr<detail::core_state>& core,
                                   operation_kind k, std::string method, std::string path,
                                   std::string_view event_id) {
  auto s = make(core, k, std::move(method), std::move(path));
  s->event_id = event_id;
  check(*s, validate_event_id(event_id));
  return s;
}

// --- Assigned seating ---

error seat_selection_error(std::string message) {
  error e;
  e.code = errc::validation_seat_selection;
  e.message = std::move(message);
  return e;
}

// reserve in a seated zone: picked seats (quantity = their count) or best
// available; the body's seat fields. The checks against the last seat map
// come at start() (validate_against_snapshots).
std::optional<error> seat_request(op_state& s, const reserve_request& req, json& body) {
  s.seats = req.seats;
  s.best_available = req.best_available;
  if (!req.seats.empty() && req.best_available)
    return seat_selection_error(
        "Choose seats or ask for the best available seats, not both in one order.");
  if (req.allow_split && !req.best_available)
    return seat_selection_error("allow_split applies only to a best-available order.");
  if (req.best_available) {
    body["quantity"] = req.quantity;
    body["best_available"] = true;
    if (req.allow_split) body["allow_split"] = true;
    return std::nullopt;
  }
  s.quantity = static_cast<std::int64_t>(req.seats.size());
  body["seats"] = req.seats;
  return validate_seats(req.seats, nullptr, false);
}

}  // namespace

operation client_core::get_seat_map(std::string_view event_id, std::string_view zone_id) {
  auto s =
      on_event(state_, operation_kind::get_seat_map, "GET",
               "/v1/events/" + std::string(event_id) + "/zones/" + std::string(zone_id) + "/seats",
               event_id);
  s->zone_id = zone_id;
  check(*s, validate_zone_id(zone_id));
  s->needs_auth = false;
  return operation(std::move(s));
}

operation client_core::get_event(std::string_view event_id) {
  auto s = on_event(state_, operation_kind::get_event, "GET", "/v1/events/" + std::string(event_id),
                    event_id);
  s->needs_auth = false;
  return operation(std::move(s));
}

operation client_core::reserve(const reserve_request& req) {
  auto s = make(state_, operation_kind::reserve, "POST", "/v1/reservations");
  s->event_id = req.event_id;
  s->zone_id = req.zone_id;
  s->quantity = req.quantity;
  s->sold_out_wait_ms = req.sold_out_wait_ms;
  check(*s, validate_event_id(req.event_id));
  check(*s, validate_zone_id(req.zone_id));
  check(*s, validate_idempotency_key(req.idempotency_key));
  check(*s, validate_queue_pass(req.queue_pass));
  json body{{"event_id", req.event_id}, {"zone_id", req.zone_id}};
  if (req.seats.empty() && !req.best_available && !req.allow_split) {
    body["quantity"] = req.quantity;
  } else {
    check(*s, seat_request(*s, req, body));
  }
  check(*s, validate_quantity(s->quantity, order_context{}));
  s->has_key = true;
  s->caller_key = !req.idempotency_key.empty();
  s->key = s->caller_key ? req.idempotency_key : uuid_v4(state_->env);
  s->queue_pass = req.queue_pass;
  s->body = dump(body);
  return operation(std::move(s));
}

operation client_core::get_reservation(std::string_view id) {
  auto s =
      make(state_, operation_kind::get_reservation, "GET", "/v1/reservations/" + std::string(id));
  check(*s, validate_reservation_id(id));
  return operation(std::move(s));
}

operation client_core::confirm(const confirm_request& req) {
  auto s = make(state_, operation_kind::confirm, "POST",
                "/v1/reservations/" + req.reservation_id + "/confirm");
  check(*s, validate_reservation_id(req.reservation_id));
  check(*s, validate_idempotency_key(req.idempotency_key));
  json body = json::object();
  if (req.payment_ref) {
    check(*s, validate_payment_ref(*req.payment_ref));
    body["payment_ref"] = *req.payment_ref;
  }
  s->has_key = true;
  s->key = req.idempotency_key.empty() ? uuid_v4(state_->env) : req.idempotency_key;
  s->body = dump(body);
  return operation(std::move(s));
}

operation client_core::release(std::string_view id) {
  auto s = make(state_, operation_kind::release, "DELETE", "/v1/reservations/" + std::string(id));
  check(*s, validate_reservation_id(id));
  if (auto dot = id.rfind('.'); dot != std::string_view::npos) s->event_id = id.substr(0, dot);
  return operation(std::move(s));
}

operation client_core::list_reservations(std::string_view event_id) {
  return operation(on_event(state_, operation_kind::list_reservations, "GET",
                            "/v1/users/me/reservations?event_id=" + std::string(event_id),
                            event_id));
}

operation client_core::join_queue(std::string_view event_id) {
  auto s = on_event(state_, operation_kind::join_queue, "POST",
                    "/v1/events/" + std::string(event_id) + "/queue", event_id);
  s->body = "{}";
  return operation(std::move(s));
}

operation client_core::queue_status(std::string_view event_id) {
  return operation(on_event(state_, operation_kind::queue_status, "GET",
                            "/v1/events/" + std::string(event_id) + "/queue/me", event_id));
}

operation client_core::leave_queue(std::string_view event_id) {
  return operation(on_event(state_, operation_kind::leave_queue, "DELETE",
                            "/v1/events/" + std::string(event_id) + "/queue/me", event_id));
}

operation client_core::wait_for_pass(std::string_view event_id, wait_for_pass_options options) {
  auto s = on_event(state_, operation_kind::wait_for_pass, "", "", event_id);
  s->wait = std::move(options);
  if (!(s->wait.jitter >= 0.0 && s->wait.jitter <= 1.0)) s->wait.jitter = 0.2;  // NaN too
  detail::set_queue_request(*s, s->wait.join);
  return operation(std::move(s));
}

namespace detail {

void set_queue_request(op_state& s, bool join) {
  const std::string base = "/v1/events/" + s.event_id + "/queue";
  s.joining = join;
  s.method = join ? "POST" : "GET";
  s.path = join ? base : base + "/me";
  s.body = join ? "{}" : "";
}

}  // namespace detail

namespace {

// --- decoding a 2xx answer into the operation's result type ---

template <class T>
result<operation_value> lift(result<T> r) {
  if (!r) return r.error();
  return operation_value(std::move(r).value());
}

result<operation_value> as_event(const http_response& r) { return lift(parse_event(r.body)); }

result<operation_value> as_reservation(const http_response& r) {
  auto res = parse_reservation(r.body);
  if (res) res.value().replayed = r.header("Idempotent-Replayed") == "true";
  return lift(std::move(res));
}

result<operation_value> as_list(const http_response& r) {
  return lift(parse_reservation_list(r.body));
}

result<operation_value> as_queue(const http_response& r) { return lift(parse_queue_state(r.body)); }

// The server answers {"status":"left"} (docs/openapi.yaml); every face
// returns that state, whatever the body.
result<operation_value> as_left(const http_response& r) {
  auto q = parse_queue_state(r.body);
  if (q) return operation_value(std::move(q).value());
  queue_state left;
  left.status = "left";
  return operation_value(std::move(left));
}

result<operation_value> as_seat_map(const http_response& r) {
  auto m = parse_seat_map(r.body);
  if (m) m.value().etag = r.header("ETag");
  return lift(std::move(m));
}

// --- what a success teaches the snapshots ---

using remember_fn = void (*)(core_state&, const op_state&, const http_response&,
                             const operation_value&);

void remember_nothing(core_state&, const op_state&, const http_response&, const operation_value&) {}

void remember_event(core_state& core, const op_state&, const http_response&,
                    const operation_value& v) {
  const auto* e = std::get_if<event>(&v);
  if (!e) return;
  std::lock_guard lock(core.mu);
  core.events[e->id] = detail::event_snapshot{*e, core.now()};
}

void remember_usage(core_state& core, const op_state& op, const http_response& r,
                    const operation_value& v) {
  const auto* list = std::get_if<std::vector<reservation>>(&v);
  if (!list) return;
  // One page of a longer history says nothing of the user's total.
  if (parse_next_cursor(r.body)) return;
  std::lock_guard lock(core.mu);
  const std::int64_t now = core.now();
  std::map<std::string, std::int64_t, std::less<>> used;
  if (!op.event_id.empty()) used[op.event_id] = 0;
  for (const auto& res : *list)
    if (res.status == "held" || res.status == "confirmed")
      used[res.event_id] += res.quantity;
    else
      used.try_emplace(res.event_id, 0);
  for (auto& [event_id, n] : used) core.usage[event_id] = detail::usage_snapshot{n, now};
}

void remember_hold(core_state& core, const op_state& op, const http_response& r,
                   const operation_value& v) {
  if (r.header("Idempotent-Replayed") == "true") return;  // counted when it was made
  {
    std::lock_guard lock(core.mu);
    if (auto us = core.usage.find(op.event_id); us != core.usage.end())
      us->second.used += op.quantity;
    if (auto ev = core.events.find(op.event_id); ev != core.events.end())
      for (auto& z : ev->second.ev.zones)
        if (z.id == op.zone_id && z.available)
          z.available = std::max<std::int64_t>(0, *z.available - op.quantity);
    core.passes.erase(op.event_id);  // the server consumes the pass
  }
  if (const auto* res = std::get_if<reservation>(&v); res && !res->seats.empty())
    detail::note_seats_taken(core, op, res->seats);
}

void remember_seat_map(core_state& core, const op_state& op, const http_response&,
                       const operation_value& v) {
  const auto* m = std::get_if<seat_map>(&v);
  if (!m) return;
  std::lock_guard lock(core.mu);
  auto& snap = core.seat_maps[detail::seat_map_key(op.event_id, op.zone_id)];
  snap.map = *m;
  snap.map.not_modified = false;
  snap.fetched_at = core.now();
}

void remember_release(core_state& core, const op_state& op, const http_response&,
                      const operation_value&) {
  std::lock_guard lock(core.mu);
  core.usage.erase(op.event_id);  // no longer known exactly
}

void remember_pass(core_state& core, const op_state& op, const http_response&,
                   const operation_value& v) {
  const auto* q = std::get_if<queue_state>(&v);
  if (!q || q->status != "admitted" || q->queue_pass.empty()) return;
  std::lock_guard lock(core.mu);
  core.passes[op.event_id] = {q->queue_pass, q->pass_expires_at};
}

void remember_left(core_state& core, const op_state& op, const http_response&,
                   const operation_value&) {
  std::lock_guard lock(core.mu);
  core.passes.erase(op.event_id);
}

// --- building from generic parameters ---

struct op_entry {
  operation_kind kind;
  std::string_view name;
  operation (*build)(client_core&, const operation_params&);
  result<operation_value> (*decode)(const http_response&);
  remember_fn remember;
};

using k = operation_kind;
using params = const operation_params&;
constexpr op_entry kOperations[] = {
    {k::get_event, "get_event", [](client_core& c, params p) { return c.get_event(p.event_id); },
     as_event, remember_event},
    {k::reserve, "reserve",
     [](client_core& c, params p) {
       return c.reserve({.event_id = p.event_id,
                         .zone_id = p.zone_id,
                         .quantity = p.quantity,
                         .idempotency_key = p.idempotency_key,
                         .queue_pass = p.queue_pass,
                         .sold_out_wait_ms = p.sold_out_wait_ms,
                         .seats = p.seats,
                         .best_available = p.best_available,
                         .allow_split = p.allow_split});
     },
     as_reservation, remember_hold},
    {k::get_reservation, "get_reservation",
     [](client_core& c, params p) { return c.get_reservation(p.reservation_id); }, as_reservation,
     remember_nothing},
    {k::confirm, "confirm",
     [](client_core& c, params p) {
       return c.confirm({.reservation_id = p.reservation_id,
                         .payment_ref = p.payment_ref,
                         .idempotency_key = p.idempotency_key});
     },
     as_reservation, remember_nothing},
    {k::release, "release", [](client_core& c, params p) { return c.release(p.reservation_id); },
     as_reservation, remember_release},
    {k::list_reservations, "list_reservations",
     [](client_core& c, params p) { return c.list_reservations(p.event_id); }, as_list,
     remember_usage},
    {k::join_queue, "join_queue", [](client_core& c, params p) { return c.join_queue(p.event_id); },
     as_queue, remember_pass},
    {k::queue_status, "queue_status",
     [](client_core& c, params p) { return c.queue_status(p.event_id); }, as_queue, remember_pass},
    {k::leave_queue, "leave_queue",
     [](client_core& c, params p) { return c.leave_queue(p.event_id); }, as_left, remember_left},
    {k::wait_for_pass, "wait_for_pass",
     [](client_core& c, params p) { return c.wait_for_pass(p.event_id, p.wait); }, as_queue,
     remember_pass},
    {k::get_seat_map, "get_seat_map",
     [](client_core& c, params p) { return c.get_seat_map(p.event_id, p.zone_id); }, as_seat_map,
     remember_seat_map},
};

const op_entry& entry(operation_kind kind) {
  for (const auto& e : kOperations)
    if (e.kind == kind) return e;
  return kOperations[0];  // unreachable: every kind has a row (checked by the tests)
}

}  // namespace

std::string_view operation_name(operation_kind kind) { return entry(kind).name; }

std::optional<operation_kind> operation_from_name(std::string_view name) {
  for (const auto& e : kOperations)
    if (e.name == name) return e.kind;
  return std::nullopt;
}

operation client_core::create(operation_kind kind, const operation_params& p) {
  return entry(kind).build(*this, p);
}

namespace detail {

result<operation_value> decode_result(const op_state& op, const http_response& r) {
  return entry(op.kind).decode(r);
}

void remember(core_state& core, const op_state& op, const http_response& r,
              const operation_value& v) {
  entry(op.kind).remember(core, op, r, v);
}

}  // namespace detail
}  // namespace seatgate
