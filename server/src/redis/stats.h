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
  // Redis Cluster (redis/cluster/router.h):
  std::atomic<std::uint64_t> redirects{0};        // MOVED and ASK followed
  std::atomic<std::uint64_t> cluster_retries{0};  // TRYAGAIN, CLUSTERDOWN, node down: resent
  std::atomic<std::uint64_t> map_refreshes{0};    // CLUSTER SLOTS answered and applied
  std::atomic<std::uint64_t> replica_waits{0};    // WAIT 1 after a durable write
};

}  // namespace seatgate::redis
