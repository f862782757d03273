// Process metrics in Prometheus text format (version 0.0.4). Thread-safe:
// every counter is an atomic; the hot path never takes a lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "redis/stats.h"

namespace seatgate::metrics {

// Routes known to the router (a label value each); `other` for the rest.
enum class route : std::uint8_t {
  healthz,
  readyz,
  metrics,
  admin_put_event,
  admin_audit,
  admin_status,
  get_event,
  reserve,
  get_reservation,
  confirm,
  release,
  list_reservations,
  queue_join,
  queue_status,
  queue_leave,
  demo_token,
  event_stream,
  seat_map,
  admin_webhooks,
  admin_archive,
  static_file,
  preflight,
  other,
  count_
};
std::string_view route_name(route r);

enum class outcome : std::uint8_t {  // reservation outcomes
  created,
  replayed,
  sold_out,
  user_limit,
  rejected,
  error,
  count_
};
std::string_view outcome_name(outcome o);

struct registry {
  // requests_total{route,status_class}: status class 1xx..5xx (index 1..5)
  std::array<std::array<std::atomic<std::uint64_t>, 6>, static_cast<size_t>(route::count_)>
      requests{};
  // request latency histogram (seconds); bucket bounds in k_latency_bounds
  static constexpr std::array<double, 12> k_latency_bounds{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
  std::array<std::atomic<std::uint64_t>, 13> latency_buckets{};  // last = +Inf
  std::atomic<std::uint64_t> latency_sum_us{0};
  std::atomic<std::uint64_t> latency_count{0};

  std::array<std::atomic<std::uint64_t>, static_cast<size_t>(outcome::count_)> reservations{};
  std::atomic<std::uint64_t> holds_expired{0};
  std::atomic<std::uint64_t> detached_pending{0};  // gauge
  std::atomic<std::uint64_t> detached_succeeded{0};
  std::atomic<std::uint64_t> detached_failed{0};  // gave up after retries
  std::atomic<std::uint64_t> detached_retries{0};
  std::atomic<std::int64_t> connections_open{0};  // gauge
  std::atomic<std::uint64_t> embedded_redis_restarts{0};
  // Requests refused with 429 rate_limited, by the limit that refused them.
  std::atomic<std::uint64_t> rate_limited_user{0};
  std::atomic<std::uint64_t> rate_limited_ip{0};
  // Connections refused at accept: over --max-connections, over
  // --max-connections-per-ip; accept(2) failures (e.g. out of descriptors).
  std::atomic<std::uint64_t> refused_max_connections{0};
  std::atomic<std::uint64_t> refused_per_ip{0};
  std::atomic<std::uint64_t> accept_errors{0};
  // Live availability streams (live/): open now, messages queued to them,
  // and the ones dropped: slow (its outbox over the bound), stalled (a write
  // not taken within --request-timeout-ms).
  std::atomic<std::int64_t> stream_subscribers{0};  // gauge
  std::atomic<std::uint64_t> stream_messages{0};
  std::atomic<std::uint64_t> stream_dropped_slow{0};
  std::atomic<std::uint64_t> stream_dropped_stalled{0};
  // Group commit (inventory/group_commit.h): reserve_seats calls sent,
  // and the reservation requests they carried (requests / calls = mean batch).
  std::atomic<std::uint64_t> reserve_calls{0};
  std::atomic<std::uint64_t> reserve_call_requests{0};
  // The same for confirm_reservation.
  std::atomic<std::uint64_t> confirm_calls{0};
  std::atomic<std::uint64_t> confirm_call_requests{0};
  // Outbox consumers (outbox/): webhook deliveries by outcome (retried = a
  // failed attempt to be tried again), and per group the age of the oldest
  // outbox entry not yet acknowledged (ms; 0 = none).
  std::atomic<std::uint64_t> webhook_succeeded{0};
  std::atomic<std::uint64_t> webhook_retried{0};
  std::atomic<std::uint64_t> webhook_failed{0};
  std::atomic<std::int64_t> webhook_oldest_ms{0};  // gauge
  std::atomic<std::int64_t> pg_lag_ms{0};          // gauge
  std::atomic<std::uint64_t> pg_rows{0};           // rows upserted into PostgreSQL
  // Data lifecycle (inventory/lifecycle.cc): ended reservations removed by
  // retention, events archived, events dropped from sg:events (closed, idle).
  std::atomic<std::uint64_t> reservations_removed{0};
  std::atomic<std::uint64_t> events_archived{0};
  std::atomic<std::uint64_t> events_retired{0};

  // Counts one answered request: its status class (1xx..5xx; others are not
  // counted by class) and its latency in seconds.
  void observe_request(route r, unsigned status, double seconds);
  // reservations[o] += 1.
  void reservation(outcome o);
  // Renders everything, including the Redis counters.
  std::string render(const redis::stats& redis_stats, bool redis_ready) const;
};

}  // namespace seatgate::metrics
