#include "jobs/pass_deleter.h"

#include "util/log.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace seatgate::jobs {

namespace net = boost::asio;

void pass_deleter::schedule(std::string event_id, std::string token) {
  metrics_.detached_pending.fetch_add(1, std::memory_order_relaxed);
  net::co_spawn(ex_, run(std::move(event_id), std::move(token)), net::detached);
}

net::awaitable<void> pass_deleter::run(std::string event_id, std::string token) {
  auto& m = metrics_;
  net::steady_timer timer(ex_);
  thread_local std::minstd_rand rng{std::random_device{}()};
  for (int attempt = 0; attempt < k_delete_attempts; ++attempt) {
    // One atomic step: the pass, its admission slot and the user's record of it.
    if (co_await queue_.delete_pass(event_id, token)) {
      m.detached_succeeded.fetch_add(1, std::memory_order_relaxed);
      m.detached_pending.fetch_sub(1, std::memory_order_relaxed);
      co_return;
    }
    if (attempt + 1 == k_delete_attempts) break;
    m.detached_retries.fetch_add(1, std::memory_order_relaxed);
    const int step_ms = std::min(2000, 50 << std::min(attempt, 6));
    timer.expires_after(std::chrono::milliseconds(
        step_ms / 2 + std::uniform_int_distribution<int>(0, step_ms / 2)(rng)));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  }
  log::warn("queue pass deletion failed", {{"event_id", event_id}});
  m.detached_failed.fetch_add(1, std::memory_order_relaxed);
  m.detached_pending.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace seatgate::jobs
