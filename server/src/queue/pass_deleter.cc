#include "queue/pass_deleter.h"

#include "app.h"
#include "inventory/render.h"
#include "metrics/metrics.h"
#include "util/log.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

namespace seatgate::queue {

namespace net = boost::asio;

net::awaitable<void> delete_pass(worker& w, metrics::registry& m, std::string event_id,
                                 std::string token) {
  const std::string p = inventory::key_prefix(event_id);
  net::steady_timer timer(w.ioc);
  thread_local std::minstd_rand rng{std::random_device{}()};
  for (int attempt = 0; attempt < k_delete_attempts; ++attempt) {
    redis::command del{"DEL", p + "pass:" + token};
    auto [ec, r] = co_await w.redis->command(std::move(del));
    if (!ec && !r.is_error()) {
      redis::command zrem{"ZREM", p + "passes", token};
      auto [ec2, r2] = co_await w.redis->command(std::move(zrem));
      if (!ec2 && !r2.is_error()) {
        m.detached_succeeded.fetch_add(1, std::memory_order_relaxed);
        m.detached_pending.fetch_sub(1, std::memory_order_relaxed);
        co_return;
      }
    }
    if (attempt + 1 == k_delete_attempts) break;
    m.detached_retries.fetch_add(1, std::memory_order_relaxed);
    const int cap_ms = std::min(1000, 50 << attempt);
    timer.expires_after(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, cap_ms)(rng)));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  }
  log::warn("queue pass deletion failed", {{"event_id", event_id}});
  m.detached_failed.fetch_add(1, std::memory_order_relaxed);
  m.detached_pending.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace seatgate::queue
