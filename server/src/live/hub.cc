#include "live/hub.h"

#include "live/messages.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace seatgate::live {

const nlohmann::json* hub::current(const std::string& event_id) const {
  auto it = feeds_.find(event_id);
  return it == feeds_.end() ? nullptr : &it->second->event;
}

std::shared_ptr<subscriber> hub::subscribe(const std::string& event_id, nlohmann::json event) {
  auto& slot = feeds_[event_id];
  const bool fresh = !slot;
  if (fresh) {
    slot = std::make_shared<feed>();
    slot->event = std::move(event);
  }
  const std::shared_ptr<feed> f = slot;
  auto s = std::make_shared<subscriber>(ex_);
  s->outbox.push_back(
      std::make_shared<const std::string>(snapshot_message(f->event, f->seq, retry_)));
  metrics_.stream_messages.fetch_add(1, std::memory_order_relaxed);
  f->subscribers.push_back(s);
  // After the subscriber is in: co_spawn may start the loop at once, and the
  // loop ends when it finds no subscriber.
  if (fresh) net::co_spawn(ex_, poll(event_id, f), net::detached);
  return s;
}

void hub::unsubscribe(const std::string& event_id, const subscriber* s) {
  auto it = feeds_.find(event_id);
  if (it == feeds_.end()) return;
  auto& subs = it->second->subscribers;
  subs.erase(std::remove_if(subs.begin(), subs.end(),
                            [s](const auto& p) {
                              if (p.get() != s) return false;
                              p->left = true;
                              return true;
                            }),
             subs.end());
}

hub::direct hub::write_now(subscriber& s, const std::string& m, std::string& chunk,
                          std::chrono::steady_clock::time_point now) {
  if (s.chunked && chunk.empty()) append_framed(chunk, m, true);
  const std::string_view bytes = s.chunked ? std::string_view(chunk) : std::string_view(m);
  boost::system::error_code ec;
  const std::size_t n = s.idle_socket->write_some(net::buffer(bytes.data(), bytes.size()), ec);
  if (n == 0 || ec) return direct::not_written;  // would block, or an error the writer will meet
  s.last_write = now;
  if (n == bytes.size()) return direct::written;
  s.unsent.assign(bytes.substr(n));
  return direct::partly;
}

net::awaitable<void> hub::publish(std::shared_ptr<feed> f, std::string message) {
  auto shared = std::make_shared<const std::string>(std::move(message));
  std::string chunk;  // the message framed as a chunk, made once if needed
  auto now = std::chrono::steady_clock::now();
  std::size_t queued = 0, served = 0;
  // The subscribers as they are now: the list may change while this yields
  // (one who joins got the new state in its snapshot; one who leaves is
  // skipped).
  const auto subs = f->subscribers;
  for (const auto& s : subs) {
    if (++served % k_publish_slice == 0) {
      co_await net::post(ex_, net::use_awaitable);
      now = std::chrono::steady_clock::now();
    }
    if (s->left) continue;
    // Queued behind nothing: written now, or what the socket took of it.
    const direct d = s->idle_socket ? write_now(*s, *shared, chunk, now) : direct::not_written;
    if (d == direct::written) {
      ++queued;
      continue;  // the writer sleeps on
    }
    // Not written (or not whole): the writer takes over, with its deadline,
    // and meets any error itself.
    if (d == direct::partly) {
      ++queued;
    } else if (s->outbox.size() >= k_outbox_limit) {
      // Behind by a whole outbox: this one alone goes, the others go on.
      s->ended = end_reason::slow;
      s->outbox.clear();
      metrics_.stream_dropped_slow.fetch_add(1, std::memory_order_relaxed);
    } else {
      s->outbox.push_back(shared);
      ++queued;
    }
    s->notify();
  }
  auto& live = f->subscribers;
  live.erase(std::remove_if(live.begin(), live.end(),
                            [](const auto& s) { return s->ended != end_reason::none; }),
             live.end());
  metrics_.stream_messages.fetch_add(queued, std::memory_order_relaxed);
}

net::awaitable<void> hub::poll(std::string event_id, std::shared_ptr<feed> f) {
  // Keeps the hub alive while its io_context runs the loop.
  auto self = shared_from_this();
  net::steady_timer timer(ex_);
  while (!f->subscribers.empty()) {
    timer.expires_after(interval_);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (f->subscribers.empty()) break;
    auto read = co_await events_.poll_event(event_id);
    // A failed read says nothing: the last state stands until one succeeds.
    if (!read) continue;
    nlohmann::json change;
    switch (compare(f->event, *read, change)) {
      case difference::none:
        continue;
      case difference::availability:
        f->event = std::move(*read);
        co_await publish(f, change_message(change, ++f->seq));
        break;
      case difference::shape:
        f->event = std::move(*read);
        ++f->seq;
        co_await publish(f, snapshot_message(f->event, f->seq, retry_));
        break;
    }
  }
  auto it = feeds_.find(event_id);
  if (it != feeds_.end() && it->second == f) feeds_.erase(it);
}

subscription::subscription(std::shared_ptr<hub> h, std::string event_id,
                           std::shared_ptr<subscriber> s, limits::lease place,
                           metrics::registry& m)
    : owner(std::move(h)),
      event_id(std::move(event_id)),
      sub(std::move(s)),
      place(std::move(place)),
      metrics(m) {
  metrics.stream_subscribers.fetch_add(1, std::memory_order_relaxed);
}

subscription::~subscription() {
  owner->unsubscribe(event_id, sub.get());
  metrics.stream_subscribers.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace seatgate::live
