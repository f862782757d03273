#include "jobs/admission.h"

#include "store/keys.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace seatgate::jobs {

namespace net = boost::asio;

namespace {

// Drops a room that is not live from sg:rooms, then looks once more: a room
// turned on (or an event reopened and joined) between the look that found
// it off and the SREM is put back. Whoever turns a room on registers it
// after doing so (the upsert; a join that starts a wait), so either this
// second look sees it live or that SADD comes after the SREM.
net::awaitable<void> unregister(redis::connection& redis, queue::service& queue,
                                const std::string& event_id) {
  redis::command srem{"SREM", store::k_rooms_key, event_id};
  auto [ec, r] = co_await redis.command(std::move(srem));
  if (ec || r.is_error()) co_return;
  auto live = co_await queue.live(event_id);
  redis::command sadd{"SADD", store::k_rooms_key, event_id};
  if (!live || *live) co_await redis.command(std::move(sadd));
}

}  // namespace

net::awaitable<void> admission_loop(redis::connection& redis, queue::service& queue,
                                    const std::atomic<bool>& stopping) {
  net::steady_timer timer(co_await net::this_coro::executor);
  auto next = std::chrono::steady_clock::now();
  while (!stopping.load(std::memory_order_relaxed)) {
    // Fixed rate; after a slow round, start again from now rather than catch up.
    next = std::max(next + k_admit_interval, std::chrono::steady_clock::now());
    timer.expires_at(next);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (stopping.load(std::memory_order_relaxed) || !redis.ready()) continue;
    redis::command smembers{"SMEMBERS", store::k_rooms_key};
    auto [ec, rooms] = co_await redis.command(std::move(smembers));
    if (ec || !rooms.is_array()) continue;
    for (const auto& e : rooms.elements) {
      if (stopping.load(std::memory_order_relaxed)) break;
      auto round = co_await queue.admit_round(e.str);
      if (round && !round->live) co_await unregister(redis, queue, e.str);
    }
  }
}

}  // namespace seatgate::jobs
