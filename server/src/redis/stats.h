#pragma once

#include <atomic>
#include <cstdint>

namespace seatgate::redis {

// Counters shared by all connections of a process (read by /metrics).
struct stats {
  std::atomic<std::uint64_t> errors{0};            // failed commands (any errc)
  std::atomic<std::uint64_t> reconnects{0};        // successful reconnects after a loss
  std::atomic<std::uint64_t> noscript_reloads{0};  // NOSCRIPT -> reload + retry
  std::atomic<std::uint64_t> commands{0};          // commands sent
};

}  // namespace seatgate::redis
