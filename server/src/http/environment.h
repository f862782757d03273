// What request handlers may use, and nothing more: a view of the config,
// the services of the thread they run on, the rate limits and the metrics.
// The process (app.h) builds one per I/O thread; a test builds its own.
#pragma once

#include "config.h"
#include "inventory/service.h"
#include "metrics/metrics.h"
#include "queue/service.h"
#include "redis/stats.h"

#include <functional>

namespace seatgate::live {
class hub;
class limits;
}  // namespace seatgate::live

namespace seatgate::outbox {
class webhook_store;
}  // namespace seatgate::outbox

namespace seatgate::http {

class rate_limiter;

struct environment {
  const config& cfg;
  metrics::registry& metrics;
  inventory::service& reservations;
  queue::service& queue;
  const redis::stats& redis_stats;
  rate_limiter* user_limiter = nullptr;  // null = off
  rate_limiter* ip_limiter = nullptr;    // null = off
  // Every Redis connection ready and the process not stopping (/readyz).
  std::function<bool()> ready = [] { return true; };
  std::function<bool()> stopping = [] { return false; };
  // Live availability streams: this thread's fan-out and the server's
  // limits; null = streams off (503).
  live::hub* streams = nullptr;
  live::limits* stream_limits = nullptr;
  // The webhook endpoints (docs/webhooks.md); null = the routes answer 404.
  outbox::webhook_store* webhooks = nullptr;
};

}  // namespace seatgate::http
