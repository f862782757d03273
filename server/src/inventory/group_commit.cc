#include "inventory/group_commit.h"

#include "store/decode.h"
#include "store/script.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace seatgate::inventory {

// One request in a batch: its call, and where its answer goes. `ready` never
// expires by itself; the flush cancels it once `answer` is set.
struct group_commit::waiter {
  explicit waiter(net::any_io_executor ex, store::script_call c)
      : call(std::move(c)), ready(std::move(ex), net::steady_timer::time_point::max()) {}
  store::script_call call;
  std::optional<result<redis::reply>> answer;
  net::steady_timer ready;
};

namespace {

// The calls and requests counters of a script's batches.
void count(metrics::registry& m, lua::script s, std::size_t requests) {
  const bool confirm = s == lua::script::confirm_reservation;
  (confirm ? m.confirm_calls : m.reserve_calls).fetch_add(1, std::memory_order_relaxed);
  (confirm ? m.confirm_call_requests : m.reserve_call_requests)
      .fetch_add(requests, std::memory_order_relaxed);
}

}  // namespace

net::awaitable<result<redis::reply>> group_commit::run_alone(store::script_call call) {
  count(metrics_, call.script, 1);
  co_return co_await store::run(conn_, call.script, std::move(call.keys), std::move(call.args));
}

net::awaitable<result<redis::reply>> group_commit::run(const std::string& event_id,
                                                          store::script_call call) {
  if (max_batch_ == 1) co_return co_await run_alone(std::move(call));
  auto ex = co_await net::this_coro::executor;
  auto w = std::make_shared<waiter>(ex, std::move(call));
  std::string key = std::to_string(static_cast<int>(w->call.script)) + ":" + event_id;
  auto& q = queues_[key];
  q.waiting.push_back(w);
  if (!q.flush_posted) {
    q.flush_posted = true;
    // Behind everything the loop has ready now: the rest of this turn's
    // requests join the batch first.
    net::post(ex, [this, ex, key = std::move(key)] {
      net::co_spawn(ex, flush(key), net::detached);
    });
  }
  while (!w->answer) co_await w->ready.async_wait(net::as_tuple(net::use_awaitable));
  co_return std::move(*w->answer);
}

net::awaitable<void> group_commit::flush(std::string key) {
  auto it = queues_.find(key);
  if (it == queues_.end()) co_return;
  std::vector<std::shared_ptr<waiter>> all = std::move(it->second.waiting);
  queues_.erase(it);
  // Several calls when the turn brought more than a batch: they go out
  // together on the pipelined connection, in arrival order.
  for (std::size_t from = 0; from < all.size(); from += max_batch_) {
    const std::size_t to = std::min(all.size(), from + max_batch_);
    std::vector<std::shared_ptr<waiter>> batch(all.begin() + from, all.begin() + to);
    net::co_spawn(co_await net::this_coro::executor, send(std::move(batch)), net::detached);
  }
}

net::awaitable<void> group_commit::send(std::vector<std::shared_ptr<waiter>> batch) {
  const auto answer = [](waiter& w, result<redis::reply> r) {
    w.answer = std::move(r);
    w.ready.cancel();
  };
  if (batch.size() == 1) {
    answer(*batch.front(), co_await run_alone(std::move(batch.front()->call)));
    co_return;
  }
  store::script_call call = batch.front()->call;
  count(metrics_, call.script, batch.size());
  for (std::size_t i = 1; i < batch.size(); ++i) store::append_request(call, batch[i]->call);
  auto [ec, reply] = co_await conn_.eval(call.script, std::move(call.keys), std::move(call.args),
                                         false, store::is_durable(call.script));
  if (!ec && reply.is_array() && reply.elements.size() == batch.size()) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto& one = reply.elements[i];
      if (auto e = store::error_of(one))
        answer(*batch[i], std::move(*e));
      else
        answer(*batch[i], std::move(one));
    }
    co_return;
  }
  // The call as a whole failed (a lost connection, a timeout, a script
  // error): part of it may have run. Each request runs again alone: one that
  // did run is answered by its idempotency record, as a client's retry would
  // be, and the others run now.
  for (auto& w : batch) answer(*w, co_await run_alone(std::move(w->call)));
}

}  // namespace seatgate::inventory
