// Live availability of one event for the native client (docs/sdk.md, "Live
// availability"): GET /v1/events/{id}/stream (Server-Sent Events, see
// docs/openapi.yaml) read on a thread of its own, falling back to polling
// get_event while the server refuses or cannot serve the stream.
//
//   auto w = client.watch_availability("summer", [](const seatgate::availability_update& u) {
//     show(u.ev);  // the event now; u.live: from the stream
//   });
//   ...
//   w->stop();  // or destroy it; also allowed from inside the callback
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "seatgate/error.h"
#include "seatgate/types.h"

namespace seatgate {

// One value of a watch: the event as get_event answers it, each time its
// availability (or status) changes.
struct availability_update {
  event ev;
  bool live = false;  // true: from the stream; false: from polling get_event
};

struct watch_options {
  // While the stream is refused (503, 429, streams off) or down: get_event
  // this often, telling only answers that differ from the last one told.
  std::chrono::milliseconds poll_interval{3000};
  // After a refusal or a failed connection, the stream is tried again after
  // this long of polling. A stream the server ends (restart, slow reader)
  // is reopened after the server's `retry:` hint instead.
  std::chrono::milliseconds stream_retry{30000};
  // An open stream silent this long (the server sends a comment every
  // --stream-heartbeat-ms, 15 s by default) counts as broken.
  std::chrono::milliseconds stream_read_timeout{45000};
  // Told each failure (a poll's error, a broken stream as "network"), on the
  // watch's thread. The watch goes on, except after an error that no retry
  // changes (event_not_found, a 400, validation_*): then `final` is true and
  // no callback runs after this one.
  std::function<void(const error& e, bool final)> on_error;
  // Run first and last on the watch's thread (JNI attach/detach).
  std::function<void()> on_thread_start;
  std::function<void()> on_thread_end;
};

namespace detail {
struct watch_state;
}

// A running watch. Callbacks run on its own thread, one at a time.
class availability_watch {
 public:
  ~availability_watch();  // stop()
  availability_watch(const availability_watch&) = delete;
  availability_watch& operator=(const availability_watch&) = delete;

  // Ends the watch: an open stream or a poll in flight is aborted at once.
  // From any other thread: returns once the watch's thread has ended, so no
  // callback runs after it. From one of the watch's own callbacks: returns at
  // once; that callback is the last, and the thread frees what it holds when
  // it ends (so the watch may also be destroyed there).
  void stop();
  // False once stopped, or ended by a final error.
  bool running() const;

 private:
  friend class client;
  explicit availability_watch(std::shared_ptr<detail::watch_state> s);
  std::shared_ptr<detail::watch_state> s_;
};

}  // namespace seatgate
