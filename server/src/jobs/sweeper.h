// The sweeper (docs/redis-schema.md, docs/operations.md "Data lifecycle"):
// every --sweep-interval-ms it reads `sg:events` and, per event, expires the
// due holds in batches (expire_holds.lua, counted in holds_expired), then
// removes ended reservations past their retention (purge_ended.lua), and
// drops from `sg:events` a closed event that holds nothing and whose outbox
// is drained, so background work visits only live events. Runs on worker 0
// of every instance; the scripts are atomic, so instances may sweep the same
// event at once.
#pragma once

#include "inventory/service.h"
#include "metrics/metrics.h"
#include "redis/connection.h"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>

namespace seatgate::jobs {

// Holds expired per script call at most.
inline constexpr int k_sweep_batch = 500;
// Ended reservations removed per script call, and calls per event and sweep,
// at most (so one sweep's retention work is bounded).
inline constexpr int k_purge_batch = 500;
inline constexpr int k_purge_calls = 4;

struct retention {
  std::chrono::milliseconds ended{7LL * 24 * 3600 * 1000};  // released, expired
  std::optional<std::chrono::milliseconds> confirmed;        // nullopt: kept until archived
};

// Runs until `stopping` is true, on the executor of `redis`.
boost::asio::awaitable<void> sweeper_loop(redis::connection& redis,
                                          inventory::service& reservations, metrics::registry& m,
                                          std::chrono::milliseconds interval, retention keep,
                                          const std::atomic<bool>& stopping);

}  // namespace seatgate::jobs
