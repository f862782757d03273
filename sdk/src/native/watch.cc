// client::watch_availability: the live stream read with cpp-httplib on the
// watch's own thread, polling get_event while the stream is refused or down
// (docs/sdk.md, "Live availability").
#include "seatgate/watch.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "cancel.h"
#include "http_transport.h"
#include "seatgate/client.h"
#include "seatgate/validation.h"
#include "sse.h"

namespace seatgate {
namespace detail {

struct watch_state {
  watch_state(const client_options& o, std::string id) : poller(o), options(o), event_id(id) {}
  client poller;  // get_event while polling, with the caller's options
  client_options options;
  std::string event_id;
  watch_options opts;
  std::function<void(const availability_update&)> on_update;
  cancel_token stop;
  std::atomic<bool> running{true};
  std::mutex started;  // held until `thread` is assigned: stop() may read it from the thread
  std::thread thread;
  std::thread::id thread_id;
  std::string last;  // the JSON of the last event told
};

}  // namespace detail

namespace {

using detail::watch_state;
using clock = std::chrono::steady_clock;

// How one attempt at the stream ended.
struct stream_end {
  bool opened = false;        // the server answered 200 with the stream
  int status = 0;             // 0: no answer (network)
  long long retry_ms = 1000;  // the server's `retry:` hint
  std::string failure;        // httplib's, when no answer came or the stream broke
};

void tell(watch_state& s, const event& ev, bool live) {
  std::string j = to_json(ev);
  if (j == s.last || s.stop.cancelled()) return;
  s.last = std::move(j);
  s.on_update({ev, live});
}

// An error that no retry changes ends the watch.
bool is_final(const error& e) {
  return e.http_status == 400 || e.http_status == 404 || e.code.rfind("validation_", 0) == 0;
}

void report(watch_state& s, const error& e, bool final) {
  if (s.opts.on_error && !s.stop.cancelled()) s.opts.on_error(e, final);
}

stream_end read_stream(watch_state& s) {
  stream_end out;
  const auto [origin, prefix] = detail::split_base(s.options.base_url);
  httplib::Client cli(origin);
  cli.set_connection_timeout(s.options.connect_timeout);
  cli.set_read_timeout(s.opts.stream_read_timeout);
  cli.set_keep_alive(false);
  cli.set_follow_location(false);
  httplib::Headers headers{{"Accept", "text/event-stream"}, {"Cache-Control", "no-store"}};
  if (!s.options.user_agent.empty()) headers.emplace("User-Agent", s.options.user_agent);

  // stop() from another thread shuts the socket; from a callback on this
  // thread the receiver below returns false instead.
  const auto self = std::this_thread::get_id();
  const auto reg = s.stop.state()->add([&cli, self] {
    if (std::this_thread::get_id() != self) cli.stop();
  });
  if (reg == 0) return out;
  std::optional<event> ev;
  detail::sse_parser parser;
  auto on_message = [&](const detail::sse_message& m) {
    if (m.retry_ms) out.retry_ms = *m.retry_ms;
    if (m.event == "snapshot") {
      if (auto e = parse_event(m.data); e.ok()) ev = std::move(e).value();
      if (ev) tell(s, *ev, true);
    } else if (m.event == "availability" && ev && apply_availability_change(*ev, m.data)) {
      tell(s, *ev, true);
    }
  };
  auto res = cli.Get(
      prefix + "/v1/events/" + s.event_id + "/stream", headers,
      [&](const httplib::Response& r) {
        out.status = r.status;
        out.opened = r.status == 200 &&
                     r.get_header_value("Content-Type").rfind("text/event-stream", 0) == 0;
        return out.opened;
      },
      [&](const char* data, std::size_t n) {
        parser.feed(std::string_view(data, n), on_message);
        return !s.stop.cancelled();
      });
  s.stop.state()->remove(reg);
  if (!res && res.error() != httplib::Error::Canceled)
    out.failure = httplib::to_string(res.error());
  return out;
}

error stream_broke(const stream_end& r) {
  error e;
  e.code = errc::network;
  e.retryable = true;
  e.message = "The live availability stream broke (" + r.failure + ").";
  return e;
}

void watch_loop(watch_state& s) {
  auto& stop = *s.stop.state();
  if (auto bad = validate_event_id(s.event_id)) return report(s, *bad, true);
  clock::time_point stream_after{};
  while (!stop.cancelled()) {
    if (clock::now() >= stream_after) {
      stream_end r = read_stream(s);
      if (stop.cancelled()) return;
      if (r.opened) {  // it ended (server restart, a slow reader dropped) or broke
        if (!r.failure.empty()) report(s, stream_broke(r), false);
        if (!s.stop.state()->sleep_for(std::chrono::milliseconds(r.retry_ms))) return;
        continue;
      }
      // Refused (503, 429, streams off, 404) or unreachable: poll for a while;
      // get_event says why when the event itself is the problem.
      stream_after = clock::now() + s.opts.stream_retry;
    }
    auto polled = s.poller.get_event(s.event_id, &s.stop);
    if (stop.cancelled()) return;
    if (polled.ok()) {
      tell(s, polled.value(), false);
    } else {
      const bool final = is_final(polled.error());
      report(s, polled.error(), final);
      if (final) return;
    }
    if (!s.stop.state()->sleep_for(s.opts.poll_interval)) return;
  }
}

}  // namespace

availability_watch::availability_watch(std::shared_ptr<detail::watch_state> s) : s_(std::move(s)) {}

availability_watch::~availability_watch() { stop(); }

bool availability_watch::running() const { return s_->running.load(); }

void availability_watch::stop() {
  s_->stop.cancel();
  if (!s_->thread.joinable()) return;
  if (std::this_thread::get_id() == s_->thread.get_id())
    s_->thread.detach();  // a callback of its own: the thread ends after it
  else
    s_->thread.join();
}

std::unique_ptr<availability_watch> client::watch_availability(
    std::string_view event_id, std::function<void(const availability_update&)> on_update,
    watch_options options) const {
  auto s = std::make_shared<detail::watch_state>(options_, std::string(event_id));
  s->opts = std::move(options);
  s->on_update = std::move(on_update);
  std::unique_ptr<availability_watch> w(new availability_watch(s));
  // The thread holds the state: it may outlive the watch object.
  std::unique_lock assigning(s->started);
  s->thread = std::thread([s] {
    { std::lock_guard wait_for_assignment(s->started); }
    if (s->opts.on_thread_start) s->opts.on_thread_start();
    watch_loop(*s);
    s->running = false;
    if (s->opts.on_thread_end) s->opts.on_thread_end();
  });
  assigning.unlock();
  return w;
}

}  // namespace seatgate
