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
  return validate_quantity(op.quantity, ctx);
}

}  // namespace detail
}  // namespace seatgate
