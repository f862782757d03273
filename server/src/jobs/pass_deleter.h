// docs/waiting-room.md: after a successful reservation the used queue pass is deleted in a
// detached task — off the request path, on the thread's own executor (not
// tied to the request or connection), retried with backoff on Redis errors,
// counted in metrics, and drained on shutdown (app waits for
// metrics.detached_pending to reach 0).
#pragma once

#include "metrics/metrics.h"
#include "queue/service.h"

#include <boost/asio/any_io_executor.hpp>
#include <string>

namespace seatgate::jobs {

// Attempts, and the backoff between them: 50 ms doubling, capped at 2 s,
// with equal jitter (each wait between half and all of the step), so the
// retries span about 6.5..13 s — longer than the Redis connection's own
// reconnect backoff — before the task counts as failed. A pass whose
// deletion failed is used (it cannot serve another reservation) and still
// frees its slot when it expires.
inline constexpr int k_delete_attempts = 12;

class pass_deleter {
 public:
  // Must outlive the executor's run (the tasks refer to it).
  pass_deleter(boost::asio::any_io_executor ex, queue::service& queue, metrics::registry& m)
      : ex_(std::move(ex)), queue_(queue), metrics_(m) {}

  // Starts the detached deletion (counted in detached_pending until done).
  void schedule(std::string event_id, std::string token);

 private:
  boost::asio::awaitable<void> run(std::string event_id, std::string token);
  boost::asio::any_io_executor ex_;
  queue::service& queue_;
  metrics::registry& metrics_;
};

}  // namespace seatgate::jobs
