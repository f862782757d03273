// Live availability fan-out for one I/O thread (docs/decisions.md, "Live
// availability"). Each watched event has one feed on the thread: a poller
// that reads the event once per --stream-interval-ms, whatever the number of
// subscribers, compares it with the last read and queues only changes to
// every subscriber's outbox. The connection (http/event_stream.cc) writes the
// outbox to its socket; while it waits with nothing queued, a change is
// written straight to the socket instead (one non-blocking send, no wake-up,
// one framed copy of the message for all of them). Everything here runs on the
// thread's io_context: no locks.
#pragma once

#include "inventory/service.h"
#include "live/limits.h"
#include "metrics/metrics.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace seatgate::live {

namespace net = boost::asio;

enum class end_reason : std::uint8_t { none, slow, stalled, shutdown };

// One stream's outbox: SSE messages ready to write, shared between the
// subscribers of a feed. `wake` is cancelled when something is queued or the
// stream must end; the writer waits on it (up to the next heartbeat).
struct subscriber {
  explicit subscriber(net::any_io_executor ex) : wake(std::move(ex)) {}
  std::deque<std::shared_ptr<const std::string>> outbox;  // messages, not framed yet
  std::string unsent;  // framed bytes a direct write left over: written first
  end_reason ended = end_reason::none;
  net::steady_timer wake;
  // Set by the writer while it waits with nothing queued (and so nothing
  // being written): the hub may write to this socket directly, without
  // blocking. Cleared by notify(), so whatever is queued goes first.
  net::ip::tcp::socket* idle_socket = nullptr;
  bool chunked = true;  // how the connection frames messages
  bool left = false;    // unsubscribed (a publish that yielded skips it)
  std::chrono::steady_clock::time_point last_write;  // heartbeats fill silences only
  bool quiet() const { return outbox.empty() && unsent.empty(); }
  void notify() {
    idle_socket = nullptr;
    wake.cancel();
  }
};

class hub : public std::enable_shared_from_this<hub> {
 public:
  // Messages an outbox may hold before its subscriber counts as slow.
  static constexpr std::size_t k_outbox_limit = 64;
  // Subscribers served before publish() lets the thread's other work run: a
  // change to 5,000 subscribers is ~50 ms of sends, which reserve requests
  // on the same thread should not wait behind.
  static constexpr std::size_t k_publish_slice = 64;

  hub(net::any_io_executor ex, inventory::service& events, metrics::registry& m,
      std::chrono::milliseconds interval, std::chrono::milliseconds retry_hint)
      : ex_(std::move(ex)), events_(events), metrics_(m), interval_(interval), retry_(retry_hint) {}

  // The event as this thread last read it for its subscribers; null when no
  // one here watches it (the caller reads it then).
  const nlohmann::json* current(const std::string& event_id) const;

  // A subscriber of `event_id` whose outbox starts with the snapshot: this
  // thread's last read if it has one, else `event` (just read by the caller),
  // which then starts the event's feed.
  std::shared_ptr<subscriber> subscribe(const std::string& event_id, nlohmann::json event);
  void unsubscribe(const std::string& event_id, const subscriber* s);

 private:
  struct feed {
    nlohmann::json event;  // as last read
    std::uint64_t seq = 1;  // the SSE id of the last message
    std::vector<std::shared_ptr<subscriber>> subscribers;
  };
  net::awaitable<void> poll(std::string event_id, std::shared_ptr<feed> f);
  net::awaitable<void> publish(std::shared_ptr<feed> f, std::string message);
  // Writes `m` to an idle subscriber's socket now (`chunk`: `m` framed as a
  // chunk, made on first use). A part left over is kept in `unsent`.
  enum class direct { written, partly, not_written };
  static direct write_now(subscriber& s, const std::string& m, std::string& chunk,
                          std::chrono::steady_clock::time_point now);

  net::any_io_executor ex_;
  inventory::service& events_;
  metrics::registry& metrics_;
  std::chrono::milliseconds interval_, retry_;
  std::unordered_map<std::string, std::shared_ptr<feed>> feeds_;
};

// One open stream: its place under the limits, and its subscription, both
// given back when it is destroyed.
struct subscription {
  subscription(std::shared_ptr<hub> h, std::string event_id, std::shared_ptr<subscriber> s,
               limits::lease place, metrics::registry& m);
  ~subscription();
  subscription(const subscription&) = delete;
  subscription& operator=(const subscription&) = delete;

  std::shared_ptr<hub> owner;
  std::string event_id;
  std::shared_ptr<subscriber> sub;
  limits::lease place;
  metrics::registry& metrics;
};

}  // namespace seatgate::live
