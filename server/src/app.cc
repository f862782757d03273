#include "app.h"

#include "demo/seed.h"
#include "http/listener.h"
#include "http/session.h"
#include "jobs/admission.h"
#include "jobs/sweeper.h"
#include "store/layout.h"
#include "outbox/pg_sink.h"
#include "webhooks/client.h"
#include "util/log.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace seatgate {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Raises the soft open-file limit to the hard one (where the system allows)
// and returns the soft limit in force.
std::uint64_t raise_fd_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  rlim_t want = rl.rlim_max;
  if (want == RLIM_INFINITY) {
    // Linux refuses more than fs.nr_open.
    want = 1 << 20;
    std::ifstream nr_open("/proc/sys/fs/nr_open");
    if (std::uint64_t n = 0; nr_open >> n && n > 0) want = n;
  }
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
    rlimit raised{want, rl.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl.rlim_cur = want;
  }
  return rl.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20 : rl.rlim_cur;
}

// Descriptors kept free of connections: per I/O thread its epoll, eventfd,
// timerfd and Redis connection (two while reconnecting), plus the process's
// own (stdio, the listener and its reserve, signals, log and static files).
std::size_t fd_margin(std::size_t threads) { return 64 + 8 * threads; }

net::awaitable<void> sleep_for(net::io_context& ioc, std::chrono::milliseconds d) {
  net::steady_timer t(ioc, d);
  co_await t.async_wait(use_tuple);
}

}  // namespace

struct app::signals {
  explicit signals(net::io_context& ioc) : set(ioc, SIGINT, SIGTERM) {}
  net::signal_set set;
};

app::app(config cfg)
    : cfg_(std::move(cfg)),
      fd_limit_(raise_fd_limit()),
      ip_limits_(cfg_.max_connections_per_ip),
      stream_limits_(cfg_.max_stream_subscribers, cfg_.max_streams_per_ip) {
  // serve_static compares resolved paths against the root: make it canonical.
  if (!cfg_.web_root.empty()) cfg_.web_root = std::filesystem::canonical(cfg_.web_root).string();
  unsigned n = cfg_.threads ? cfg_.threads : std::max(1u, std::thread::hardware_concurrency());
  // Connections must run out before descriptors do: past the limit accept
  // fails and nobody gets the 503.
  if (fd_limit_ > 0) {
    const std::uint64_t margin = fd_margin(n);
    const std::size_t fit = fd_limit_ > margin + 1 ? fd_limit_ - margin : 1;
    if (cfg_.max_connections > fit) {
      log::warn("--max-connections lowered to fit the open-file limit",
                {{"asked", cfg_.max_connections}, {"effective", fit}, {"fd_limit", fd_limit_}});
      cfg_.max_connections = fit;
    }
  }
  redis::options ro;
  ro.url = cfg_.redis_url;
  ro.command_timeout = std::min(cfg_.redis_timeout, cfg_.request_timeout);
  // A burst of 0 means twice the rate, and a bucket holds at least one request.
  const auto make_limiter = [](double rate, double burst) -> std::unique_ptr<http::rate_limiter> {
    if (rate <= 0) return nullptr;
    return std::make_unique<http::rate_limiter>(rate, std::max(1.0, burst > 0 ? burst : 2 * rate));
  };
  user_limiter_ = make_limiter(cfg_.user_rate_limit, cfg_.user_rate_burst);
  ip_limiter_ = make_limiter(cfg_.ip_rate_limit, cfg_.ip_rate_burst);
  for (unsigned i = 0; i < n; ++i) {
    auto w = std::make_unique<worker>(i);
    w->redis = std::make_unique<redis::connection>(w->ioc.get_executor(), ro, redis_stats_);
    w->queue = std::make_unique<queue::service>(*w->redis);
    w->passes = std::make_unique<jobs::pass_deleter>(w->ioc.get_executor(), *w->queue, metrics_);
    w->reservations = std::make_unique<inventory::service>(
        *w->redis, metrics_, cfg_.reservations_per_user_per_minute,
        [d = w->passes.get()](std::string event_id, std::string token) {
          d->schedule(std::move(event_id), std::move(token));
        },
        cfg_.reserve_batch);
    // The retry: hint: a reconnecting crowd spreads over a few intervals (at least 1 s).
    w->streams = std::make_shared<live::hub>(
        w->ioc.get_executor(), *w->reservations, metrics_, cfg_.stream_interval,
        std::max(std::chrono::milliseconds(1000), 4 * cfg_.stream_interval));
    w->webhooks = std::make_unique<outbox::webhook_store>(*w->redis);
    w->env = std::make_unique<http::environment>(http::environment{
        cfg_, metrics_, *w->reservations, *w->queue, redis_stats_, user_limiter_.get(),
        ip_limiter_.get(), [this] { return ready(); }, [this] { return stopping(); },
        w->streams.get(), &stream_limits_, w->webhooks.get()});
    workers_.push_back(std::move(w));
  }
}

app::~app() {
  if (pg_) pg_->stop();
}

bool app::ready() const {
  if (stopping() || !announced_ready_.load(std::memory_order_relaxed)) return false;
  for (const auto& w : workers_)
    if (!w->redis_ready.load(std::memory_order_relaxed)) return false;
  return true;
}

worker& app::next_worker() {
  return *workers_[next_.fetch_add(1, std::memory_order_relaxed) % workers_.size()];
}

void app::start_readiness_probe(worker& w) {
  net::co_spawn(
      w.ioc,
      [this, &w]() -> net::awaitable<void> {
        std::string reported;  // why Redis is not ready, logged once per change
        while (!stopping()) {
          w.redis_ready.store(w.redis->ready(), std::memory_order_relaxed);
          if (const auto& why = w.redis->last_error(); why != reported && w.index == 0) {
            if (!why.empty()) log::warn("redis not ready", {{"error", why}});
            reported = why;
          }
          co_await sleep_for(w.ioc, std::chrono::milliseconds(25));
        }
        w.redis_ready.store(false);
      },
      net::detached);
}

void app::start_jobs() {
  worker& w = *workers_[0];
  net::co_spawn(
      w.ioc,
      jobs::sweeper_loop(*w.redis, *w.reservations, metrics_, cfg_.sweep_interval,
                         {cfg_.retention, cfg_.retention_confirmed}, stopping_),
      net::detached);
  net::co_spawn(w.ioc, jobs::admission_loop(*w.redis, *w.queue, stopping_), net::detached);
  start_outbox();
}

void app::start_outbox() {
  worker& w = *workers_[0];
  outbox::delivery_options o;
  o.consumer = outbox::consumer_name();
  o.claim_idle = cfg_.outbox_claim_idle;
  o.allow_private = cfg_.webhooks_allow_private;
  o.postgres = !cfg_.postgres_url.empty();
  outbox::parse_schedule(cfg_.webhook_retry_schedule, o.schedule);
  deliverer_ =
      std::make_shared<outbox::deliverer>(*w.redis, metrics_, webhook_client_->as_poster(), o);
  net::co_spawn(w.ioc, deliverer_->run(stopping_), net::detached);
  if (!cfg_.postgres_url.empty()) {
    pg_ = std::make_unique<outbox::pg_sink>(cfg_.redis_url, cfg_.postgres_url, o.consumer,
                                            cfg_.outbox_claim_idle, metrics_);
    pg_->start();
  }
}

void app::start_signals() {
  signals_ = std::make_unique<signals>(workers_[0]->ioc);
  signals_->set.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("shutting down", {{"signal", sig}});
    begin_shutdown();
  });
}

void app::begin_shutdown() {
  if (stopping_.exchange(true)) return;
  if (listener_) listener_->stop();
  for (auto& w : workers_) {
    net::post(w->ioc, [wp = w.get()] {
      // Copy: closing may destroy sessions, which erase themselves.
      std::vector<http::session*> open(wp->sessions.begin(), wp->sessions.end());
      for (auto* s : open)
        if (wp->sessions.count(s)) s->close_if_idle();
    });
  }
  // Wait for in-flight requests and detached tasks, up to the deadline.
  worker& w0 = *workers_[0];
  net::co_spawn(
      w0.ioc,
      [this, &w0]() -> net::awaitable<void> {
        auto deadline = std::chrono::steady_clock::now() + cfg_.shutdown_timeout;
        while (std::chrono::steady_clock::now() < deadline) {
          if (metrics_.connections_open.load() <= 0 && metrics_.detached_pending.load() == 0) break;
          co_await sleep_for(w0.ioc, std::chrono::milliseconds(10));
        }
        log::info("drained", {{"connections_open", metrics_.connections_open.load()},
                              {"detached_pending", metrics_.detached_pending.load()}});
        finish_shutdown();
      },
      net::detached);
}

void app::finish_shutdown() {
  for (auto& w : workers_) {
    net::post(w->ioc, [wp = w.get()] {
      wp->redis->stop();
      wp->ioc.stop();
    });
  }
}

int app::run() {
  if (std::string why;
      !cfg_.postgres_url.empty() && !outbox::pg_sink::probe(cfg_.postgres_url, why)) {
    log::error("cannot connect to PostgreSQL (--postgres-url)", {{"error", why}});
    return 1;
  }
  try {
    webhook_client_ = std::make_unique<webhooks::client>(
        cfg_.webhooks_allow_private, cfg_.webhook_timeout, cfg_.webhook_ca_file);
  } catch (const std::exception& e) {
    log::error("cannot load the webhook CA file", {{"error", e.what()}});
    return 1;
  }
  net::ip::tcp::endpoint ep;
  try {
    ep = net::ip::tcp::endpoint(net::ip::make_address(cfg_.listen_host), cfg_.listen_port);
    listener_ = std::make_shared<http::listener>(*this, workers_[0]->ioc, ep);
  } catch (const std::exception& e) {
    log::error("cannot listen",
               {{"host", cfg_.listen_host}, {"port", cfg_.listen_port}, {"error", e.what()}});
    return 1;
  }
  log::info(
      "listening",
      {{"host", cfg_.listen_host}, {"port", listener_->port()}, {"threads", workers_.size()}});
  log::info("rate limits", {{"user_rate", user_limiter_ ? user_limiter_->rate() : 0.0},
                            {"user_burst", user_limiter_ ? user_limiter_->burst() : 0.0},
                            {"ip_rate", ip_limiter_ ? ip_limiter_->rate() : 0.0},
                            {"ip_burst", ip_limiter_ ? ip_limiter_->burst() : 0.0}});
  log::info("connection limits", {{"max_connections", cfg_.max_connections},
                                  {"max_connections_per_ip", cfg_.max_connections_per_ip},
                                  {"fd_limit", fd_limit_}});
  for (auto& w : workers_) {
    net::post(w->ioc, [wp = w.get()] { wp->redis->start(); });
    start_readiness_probe(*w);
  }
  listener_->start();
  start_signals();
  start_jobs();

  // Announce readiness once every connection is up (and the demo is seeded).
  worker& w0 = *workers_[0];
  net::co_spawn(
      w0.ioc,
      [this, &w0]() -> net::awaitable<void> {
        for (;;) {
          if (stopping()) co_return;
          bool all = true;
          for (auto& w : workers_) all = all && w->redis_ready.load();
          if (all) break;
          co_await sleep_for(w0.ioc, std::chrono::milliseconds(20));
        }
        if (!co_await check_layout(w0)) co_return;
        if (cfg_.demo) co_await demo::seed(*w0.reservations, cfg_);
        announced_ready_ = true;
        log::info("ready", {{"redis", cfg_.redis_url}});
      },
      net::detached);

  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  for (auto& w : workers_) guards.emplace_back(w->ioc.get_executor());
  for (std::size_t i = 1; i < workers_.size(); ++i)
    workers_[i]->thread = std::thread([wp = workers_[i].get()] { wp->ioc.run(); });
  workers_[0]->ioc.run();
  for (std::size_t i = 1; i < workers_.size(); ++i) workers_[i]->thread.join();
  log::info("stopped");
  return exit_code_.load();
}

net::awaitable<bool> app::check_layout(worker& w) {
  for (;;) {
    if (stopping()) co_return false;
    auto c = co_await store::check_layout(*w.redis);
    if (c.outcome == store::layout_check::verdict::ok) co_return true;
    if (c.outcome == store::layout_check::verdict::refused) {
      log::error("refusing to start: older data layout", {{"error", c.detail}});
      std::fprintf(stderr, "seatgate-server: %s\n", c.detail.c_str());
      exit_code_ = 1;
      begin_shutdown();
      co_return false;
    }
    log::warn("could not check the data layout; retrying", {{"error", c.detail}});
    co_await sleep_for(w.ioc, std::chrono::milliseconds(200));
  }
}

}  // namespace seatgate
