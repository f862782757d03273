// Shared state behind cancel_token: a flag, a condition variable for
// interruptible backoff, and a hook that aborts the in-flight request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace seatgate::detail {

struct cancel_state {
  std::mutex mu;
  std::condition_variable cv;
  bool cancelled = false;
  std::function<void()> abort_in_flight;            // set by the transport while sending
  std::vector<std::weak_ptr<cancel_state>> linked;  // cancelled along with this one

  void cancel() {
    std::function<void()> abort;
    std::vector<std::weak_ptr<cancel_state>> also;
    {
      std::lock_guard lock(mu);
      if (cancelled) return;
      cancelled = true;
      abort = abort_in_flight;
      also.swap(linked);
    }
    cv.notify_all();
    if (abort) abort();
    for (auto& w : also)
      if (auto s = w.lock()) s->cancel();
  }
  // `child` is cancelled when this is (at once if this already is).
  void link(const std::shared_ptr<cancel_state>& child) {
    {
      std::lock_guard lock(mu);
      if (!cancelled) {
        linked.push_back(child);
        return;
      }
    }
    child->cancel();
  }
  // Sleeps for d; false if cancelled first.
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [&] { return cancelled; });
  }
};

}  // namespace seatgate::detail
