#include "jobs/sweeper.h"

#include "store/keys.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace seatgate::jobs {

namespace net = boost::asio;

net::awaitable<void> sweeper_loop(redis::connection& redis, inventory::service& reservations,
                                  metrics::registry& m, std::chrono::milliseconds interval,
                                  retention keep, const std::atomic<bool>& stopping) {
  std::optional<std::int64_t> confirmed;
  if (keep.confirmed) confirmed = keep.confirmed->count();
  net::steady_timer timer(co_await net::this_coro::executor);
  while (!stopping.load(std::memory_order_relaxed)) {
    timer.expires_after(interval);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (stopping.load(std::memory_order_relaxed) || !redis.ready()) continue;
    redis::command smembers{"SMEMBERS", store::k_events_key};
    auto [ec, events] = co_await redis.command(std::move(smembers));
    if (ec || !events.is_array()) continue;
    for (const auto& e : events.elements) {
      for (;;) {
        auto n = co_await reservations.expire_holds(e.str, k_sweep_batch);
        if (!n) break;
        m.holds_expired.fetch_add(static_cast<std::uint64_t>(*n), std::memory_order_relaxed);
        if (*n < k_sweep_batch) break;
      }
      bool idle = false;
      for (int i = 0; i < k_purge_calls; ++i) {
        auto p = co_await reservations.purge_ended(e.str, keep.ended.count(), confirmed,
                                                   k_purge_batch);
        if (!p) break;
        idle = p->idle;
        if (!p->more) break;
      }
      if (idle) co_await reservations.retire_event(e.str);
    }
  }
}

}  // namespace seatgate::jobs
