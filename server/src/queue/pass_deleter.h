// docs/waiting-room.md: after a successful reservation the used queue pass is deleted in a
// detached task — off the request path, on the worker's own executor (not
// tied to the request or connection), retried with backoff on Redis errors,
// counted in metrics, and drained on shutdown (app waits for
// metrics.detached_pending to reach 0).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

namespace seatgate {
struct worker;
namespace metrics {
struct registry;
}
}  // namespace seatgate

namespace seatgate::queue {

// Attempts, and the backoff between them: 50 ms doubling, capped at 2 s,
// with equal jitter (each wait between half and all of the step), so the
// retries span about 6.5..13 s — longer than the Redis connection's own
// reconnect backoff — before the task counts as failed. A pass whose
// deletion failed is used (it cannot serve another reservation) and still
// frees its slot when it expires.
inline constexpr int k_delete_attempts = 12;

// The task body. The caller has already incremented detached_pending; this
// decrements it when done, whatever the outcome.
boost::asio::awaitable<void> delete_pass(worker& w, metrics::registry& m, std::string event_id,
                                         std::string token);

}  // namespace seatgate::queue
