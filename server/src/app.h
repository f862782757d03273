// The server process: one io_context per thread, each with its own Redis
// connection; the acceptor, signals, sweeper, readiness and shutdown.
#pragma once

#include "config.h"
#include "http/environment.h"
#include "http/ip_limiter.h"
#include "http/rate_limiter.h"
#include "inventory/service.h"
#include "jobs/pass_deleter.h"
#include "live/hub.h"
#include "live/limits.h"
#include "metrics/metrics.h"
#include "outbox/deliverer.h"
#include "outbox/webhook_store.h"
#include "queue/service.h"
#include "redis/connection.h"
#include "redis/stats.h"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <unordered_set>
#include <vector>

namespace seatgate {

namespace net = boost::asio;
namespace webhooks {
class client;
}  // namespace webhooks
namespace outbox {
class pg_sink;
}  // namespace outbox
namespace http {
class session;
class listener;
}  // namespace http

// Everything one io thread owns: its Redis connection, the services on it,
// and the environment its handlers see. Only touched from that thread,
// except the atomics.
struct worker {
  explicit worker(unsigned index) : index(index) {}
  unsigned index;
  net::io_context ioc{1};
  std::unique_ptr<redis::connection> redis;
  std::unique_ptr<queue::service> queue;
  std::unique_ptr<jobs::pass_deleter> passes;
  std::unique_ptr<inventory::service> reservations;
  std::shared_ptr<live::hub> streams;  // shared: open streams keep it
  std::unique_ptr<outbox::webhook_store> webhooks;
  std::unique_ptr<http::environment> env;
  std::atomic<bool> redis_ready{false};
  std::unordered_set<http::session*> sessions;  // open connections on this thread
  std::thread thread;
};

class app {
 public:
  explicit app(config cfg);
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  // Runs until SIGTERM/SIGINT and a graceful drain. Returns the exit code.
  int run();

  const config& cfg() const { return cfg_; }
  metrics::registry& metrics() { return metrics_; }
  const redis::stats& redis_stats() const { return redis_stats_; }
  bool ready() const;  // every Redis connection ready and not stopping
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  worker& next_worker();  // round-robin, for accepted sockets
  // The rate limits, shared by every I/O thread; null = off.
  http::rate_limiter* user_limiter() { return user_limiter_.get(); }
  http::rate_limiter* ip_limiter() { return ip_limiter_.get(); }
  http::ip_limiter& ip_limits() { return ip_limits_; }
  std::vector<std::unique_ptr<worker>>& workers() { return workers_; }

 private:
  void start_signals();
  void start_readiness_probe(worker& w);
  void start_jobs();    // the hold sweeper and the admission loop (jobs/), on worker 0
  void start_outbox();  // webhook delivery (worker 0) and the PostgreSQL copy (its thread)
  void begin_shutdown();
  // The data layout in Redis (store/layout.h): false when refused (the app
  // then shuts down with exit code 1) or stopping.
  net::awaitable<bool> check_layout(worker& w);
  void finish_shutdown();

  config cfg_;
  metrics::registry metrics_;
  redis::stats redis_stats_;
  std::uint64_t fd_limit_ = 0;  // RLIMIT_NOFILE (soft) after raising it at start
  http::ip_limiter ip_limits_;  // before workers_: sessions release into it
  live::limits stream_limits_;  // the same, for live availability streams
  std::vector<std::unique_ptr<worker>> workers_;
  std::unique_ptr<http::rate_limiter> user_limiter_, ip_limiter_;
  std::shared_ptr<http::listener> listener_;
  std::unique_ptr<webhooks::client> webhook_client_;
  std::shared_ptr<outbox::deliverer> deliverer_;
  std::unique_ptr<outbox::pg_sink> pg_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> announced_ready_{false};
  std::atomic<int> exit_code_{0};
  std::atomic<unsigned> next_{0};
  struct signals;
  std::unique_ptr<signals> signals_;
};

}  // namespace seatgate
