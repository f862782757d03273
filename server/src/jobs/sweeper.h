// The hold sweeper (docs/redis-schema.md): every
// --sweep-interval-ms it reads `sg:events` and expires the due holds of each
// event in batches (expire_holds.lua), counting them in holds_expired. Runs
// on worker 0 of every instance; the script is atomic, so instances may
// sweep the same event at once.
#pragma once

#include "inventory/service.h"
#include "metrics/metrics.h"
#include "redis/connection.h"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace seatgate::jobs {

// Holds expired per script call at most.
inline constexpr int k_sweep_batch = 500;

// Runs until `stopping` is true, on the executor of `redis`.
boost::asio::awaitable<void> sweeper_loop(redis::connection& redis,
                                          inventory::service& reservations, metrics::registry& m,
                                          std::chrono::milliseconds interval,
                                          const std::atomic<bool>& stopping);

}  // namespace seatgate::jobs
