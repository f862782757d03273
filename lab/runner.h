// Runs one strategy: reset its store, open C workers, let C threads take
// buyers from one shared counter until all have tried once, then count.
#pragma once

#include "strategy.h"

#include <cstdint>
#include <string>

namespace seatgate::lab {

struct run_result {
  std::string strategy, store;
  unsigned connections = 0, think_us = 0;
  std::uint64_t buyers = 0;
  // As the application saw it.
  std::uint64_t booked = 0, sold = 0, lock_busy = 0, retries_exhausted = 0, errors = 0;
  std::uint64_t conflicts = 0, lost_locks = 0, paused = 0;
  std::string first_error;
  // Counted afterwards.
  verdict counted;
  double seconds = 0, throughput = 0;  // buyers served per second
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double last_booking_ms = 0;  // from the start to the last accepted booking
  double store_cpu_s = 0;
};

// Set by SIGINT/SIGTERM: workers stop taking buyers, the lab cleans up.
void request_stop();
bool stop_requested();

run_result run_strategy(strategy& s, const workload& w, unsigned connections, unsigned think_us);

}  // namespace seatgate::lab
