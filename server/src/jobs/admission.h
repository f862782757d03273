// The admission loop (docs/waiting-room.md). Every server instance runs one, on worker 0:
// every k_admit_interval it reads `sg:rooms` and runs one admission round
// (peek_queue.lua then admit_queue.lua, see queue::service::admit_round) per
// event, and drops from `sg:rooms` an event whose room is not live (off,
// closed or unknown), checking again after the drop. The admit script
// is atomic and keeps its per-second counter in Redis, so any number of
// instances together admit at most `admit_per_s` per second and never more
// live passes than `capacity`; more instances only mean more frequent,
// smaller rounds.
#pragma once

#include "queue/service.h"
#include "redis/connection.h"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace seatgate::jobs {

inline constexpr std::chrono::milliseconds k_admit_interval{100};

// Runs until `stopping` is true (checked every interval), on the executor of
// `redis`. Redis failures skip a round and are retried at the next one.
boost::asio::awaitable<void> admission_loop(redis::connection& redis, queue::service& queue,
                                            const std::atomic<bool>& stopping);

}  // namespace seatgate::jobs
