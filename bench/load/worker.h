// One client thread: its own io_context and keep-alive connections, driving
// the shared scenario in closed or open loop, recording into its own stats
// (merged by main after the run; no locks on the request path).
//
// Latency origin: closed loop — when the request is written; open loop —
// the operation's *intended* start on the constant-rate schedule, so time
// spent waiting for a free connection counts (no coordinated omission).
// Follow-up requests of an operation (confirm) start when the previous
// response arrives, and are measured from then.
#pragma once

#include "histogram.h"
#include "options.h"
#include "scenario.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace seatgate::bench {

struct kind_stats {
  histogram latency_ns;                           // requests started in the window
  std::map<std::string, std::uint64_t> statuses;  // "201", "409 sold_out", "conn_error", ...
  std::uint64_t completed_in_window = 0;          // responses that arrived in the window
};

struct worker_stats {
  std::array<kind_stats, k_request_kinds> kinds;
  std::uint64_t connect_errors = 0;
  std::uint64_t unsent = 0;  // open loop: still waiting for a connection when the drain ended
};

// Live counters read by the progress line.
struct worker_progress {
  std::atomic<std::uint64_t> responses{0};
  std::atomic<std::uint64_t> not_2xx{0};
  std::atomic<std::uint64_t> errors{0};   // connection errors and timeouts
  std::atomic<std::uint64_t> backlog{0};  // open loop: operations due but not yet sent
  std::atomic<bool> done{false};
};

struct run_window {
  std::chrono::steady_clock::time_point start;          // pacing origin
  std::chrono::steady_clock::time_point measure_start;  // after warm-up
  std::chrono::steady_clock::time_point measure_end;    // no new operations after this
  std::chrono::steady_clock::time_point drain_end;      // hard stop
};

class worker {
 public:
  worker(const options& opts, scenario& sc, run_window window, int id, unsigned connections,
         double rate_per_s, worker_progress& progress);
  ~worker();
  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  void run();  // blocks until the run is over
  const worker_stats& stats() const;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace seatgate::bench
