// The state a client_core shares with its operations: construction, the
// retry budget's reading, and reserve's checks against the snapshots.
#include "state.h"

namespace seatgate {
namespace {

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

namespace detail {

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
  // A seated zone: the picked seats against the last seat map, and its count
  // of available seats when that map is fresh.
  if (!op.seats.empty() || op.best_available) {
    auto sm = core.seat_maps.find(seat_map_key(op.event_id, op.zone_id));
    if (sm != core.seat_maps.end()) {
      const bool map_fresh = fresh(sm->second.fetched_at, now, max_age);
      if (!op.seats.empty())
        if (auto e = validate_seats(op.seats, &sm->second.map, map_fresh)) return e;
      if (map_fresh) ctx.available = sm->second.map.available;
    }
  }
  return validate_quantity(op.quantity, ctx);
}

std::string seat_map_key(std::string_view event_id, std::string_view zone_id) {
  return std::string(event_id) + "/" + std::string(zone_id);
}

void note_seats_taken(core_state& core, const op_state& op, const std::vector<std::string>& ids) {
  std::lock_guard lock(core.mu);
  auto sm = core.seat_maps.find(seat_map_key(op.event_id, op.zone_id));
  if (sm == core.seat_maps.end()) return;
  seat_map& m = sm->second.map;
  for (const auto& id : ids) {
    const auto dash = id.rfind('-');
    if (dash == std::string::npos || m.state_of(id) != 'a') continue;
    const std::string_view row_id = std::string_view(id).substr(0, dash);
    std::size_t n = 0;  // state_of checked the digits
    for (char c : std::string_view(id).substr(dash + 1))
      n = n * 10 + static_cast<std::size_t>(c - '0');
    for (auto& row : m.rows)
      if (row.id == row_id) row.states[n - 1] = 'h';
    if (m.available > 0) --m.available;
    // The copy is no longer the server's answer of that ETag: the next fetch
    // must be a whole one (a 304 would bring back these local marks as if
    // the server had confirmed them).
    m.etag.clear();
  }
}

}  // namespace detail
}  // namespace seatgate
