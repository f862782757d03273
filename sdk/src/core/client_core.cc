// Builds operations (request shape + validation) and keeps the snapshots
// that validation uses.
#include <nlohmann/json.hpp>

#include "state.h"

namespace seatgate {
namespace {

using json = nlohmann::json;
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

bool fresh(std::int64_t fetched_at, std::int64_t now, milliseconds max_age) {
  return now - fetched_at <= max_age.count();
}

}  // namespace

client_core::client_core(core_options options, environment env)
    : state_(std::make_shared<detail::core_state>(std::move(options), std::move(env))) {}
client_core::~client_core() = default;

const core_options& client_core::options() const { return state_->opts; }

double client_core::retry_budget_tokens() const {
  std::lock_guard lock(state_->mu);
  return state_->budget.tokens(state_->now());
}

operation client_core::get_event(std::string_view event_id) {
  auto s = make(state_, operation_kind::get_event, "GET", "/v1/events/" + std::string(event_id));
  s->needs_auth = false;
  s->event_id = event_id;
  check(*s, validate_event_id(event_id));
  return operation(std::move(s));
}

operation client_core::reserve(const reserve_request& req) {
  auto s = make(state_, operation_kind::reserve, "POST", "/v1/reservations");
  s->event_id = req.event_id;
  s->zone_id = req.zone_id;
  s->quantity = req.quantity;
  check(*s, validate_event_id(req.event_id));
  check(*s, validate_zone_id(req.zone_id));
  check(*s, validate_idempotency_key(req.idempotency_key));
  check(*s, validate_queue_pass(req.queue_pass));
  check(*s, validate_quantity(req.quantity, order_context{}));
  s->has_key = true;
  s->caller_key = !req.idempotency_key.empty();
  s->key = s->caller_key ? req.idempotency_key : uuid_v4(state_->env);
  s->queue_pass = req.queue_pass;
  s->body =
      dump(json{{"event_id", req.event_id}, {"zone_id", req.zone_id}, {"quantity", req.quantity}});
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
  auto s = make(state_, operation_kind::list_reservations, "GET",
                "/v1/users/me/reservations?event_id=" + std::string(event_id));
  s->event_id = event_id;
  check(*s, validate_event_id(event_id));
  return operation(std::move(s));
}

operation client_core::join_queue(std::string_view event_id) {
  auto s = make(state_, operation_kind::join_queue, "POST",
                "/v1/events/" + std::string(event_id) + "/queue");
  s->event_id = event_id;
  s->body = "{}";
  check(*s, validate_event_id(event_id));
  return operation(std::move(s));
}

operation client_core::queue_status(std::string_view event_id) {
  auto s = make(state_, operation_kind::queue_status, "GET",
                "/v1/events/" + std::string(event_id) + "/queue/me");
  s->event_id = event_id;
  check(*s, validate_event_id(event_id));
  return operation(std::move(s));
}

operation client_core::leave_queue(std::string_view event_id) {
  auto s = make(state_, operation_kind::leave_queue, "DELETE",
                "/v1/events/" + std::string(event_id) + "/queue/me");
  s->event_id = event_id;
  check(*s, validate_event_id(event_id));
  return operation(std::move(s));
}

operation client_core::wait_for_pass(std::string_view event_id, wait_for_pass_options options) {
  auto s = make(state_, operation_kind::wait_for_pass, "", "");
  s->event_id = event_id;
  s->wait = std::move(options);
  if (!(s->wait.jitter >= 0.0 && s->wait.jitter <= 1.0)) s->wait.jitter = 0.2;  // NaN too
  detail::set_queue_request(*s, s->wait.join);
  check(*s, validate_event_id(event_id));
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

std::optional<error> validate_against_snapshots(core_state& core, const op_state& op) {
  std::lock_guard lock(core.mu);
  const std::int64_t now = core.now();
  const auto max_age = core.opts.snapshot_max_age;
  order_context ctx;
  auto ev = core.events.find(op.event_id);
  if (ev != core.events.end()) {
    const event& e = ev->second.ev;
    const bool is_fresh = fresh(ev->second.fetched_at, now, max_age);
    ctx.max_per_order = e.max_per_order;
    const zone* z = e.find_zone(op.zone_id);
    if (is_fresh && !z) {
      error err;
      err.code = errc::validation_unknown_zone;
      err.message = "The event \"" + op.event_id + "\" has no zone \"" + op.zone_id + "\".";
      return err;
    }
    if (is_fresh && z && z->available) ctx.available = *z->available;
    auto us = core.usage.find(op.event_id);
    if (us != core.usage.end() && fresh(us->second.fetched_at, now, max_age))
      ctx.remaining_allowance = e.max_per_user - us->second.used;
  }
  return validate_quantity(op.quantity, ctx);
}

void on_success(core_state& core, const op_state& op, const http_response& r) {
  switch (op.kind) {
    case operation_kind::get_event: {
      auto e = parse_event(r.body);
      if (!e) return;
      std::string id = e->id;  // before the move below
      std::lock_guard lock(core.mu);
      core.events[id] = event_snapshot{std::move(e).value(), core.now()};
      return;
    }
    case operation_kind::list_reservations: {
      auto list = parse_reservation_list(r.body);
      if (!list) return;
      // One page of a longer history says nothing of the user's total.
      if (parse_next_cursor(r.body)) return;
      std::lock_guard lock(core.mu);
      const std::int64_t now = core.now();
      std::map<std::string, std::int64_t, std::less<>> used;
      if (!op.event_id.empty()) used[op.event_id] = 0;
      for (const auto& res : list.value())
        if (res.status == "held" || res.status == "confirmed")
          used[res.event_id] += res.quantity;
        else
          used.try_emplace(res.event_id, 0);
      for (auto& [event_id, n] : used) core.usage[event_id] = usage_snapshot{n, now};
      return;
    }
    case operation_kind::reserve: {
      if (r.header("Idempotent-Replayed") == "true") return;  // counted when it was made
      std::lock_guard lock(core.mu);
      if (auto us = core.usage.find(op.event_id); us != core.usage.end())
        us->second.used += op.quantity;
      if (auto ev = core.events.find(op.event_id); ev != core.events.end())
        for (auto& z : ev->second.ev.zones)
          if (z.id == op.zone_id && z.available)
            z.available = std::max<std::int64_t>(0, *z.available - op.quantity);
      core.passes.erase(op.event_id);  // the server consumes the pass
      return;
    }
    case operation_kind::release: {
      std::lock_guard lock(core.mu);
      core.usage.erase(op.event_id);  // no longer known exactly
      return;
    }
    case operation_kind::join_queue:
    case operation_kind::queue_status:
    case operation_kind::wait_for_pass: {
      auto q = parse_queue_state(r.body);
      if (!q) return;
      std::lock_guard lock(core.mu);
      if (q->status == "admitted" && !q->queue_pass.empty())
        core.passes[op.event_id] = q->queue_pass;
      return;
    }
    case operation_kind::leave_queue: {
      std::lock_guard lock(core.mu);
      core.passes.erase(op.event_id);
      return;
    }
    default:
      return;
  }
}

}  // namespace detail
}  // namespace seatgate
