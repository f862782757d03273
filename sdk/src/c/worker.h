// The C API's asynchronous calls run on one worker thread per client.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "../native/cancel.h"

namespace seatgate::c_api {

// One worker thread per client, started on first use, running tasks in order.
// Its state is shared with the thread, so the thread can outlive the worker
// object when the client is freed from one of its own callbacks.
class worker {
 public:
  using task = std::function<void()>;
  ~worker() {
    if (thread_.joinable()) stop();
  }

  void post(task t, std::shared_ptr<seatgate::detail::cancel_state> token) {
    std::lock_guard lock(s_->mu);
    if (!thread_.joinable() && !s_->detached) {
      thread_ = std::thread([s = s_] { run(*s); });
      s_->thread_id = thread_.get_id();
    }
    s_->queue.push_back({std::move(t), std::move(token)});
    s_->cv.notify_one();
  }

  bool on_worker_thread() const {
    std::lock_guard lock(s_->mu);
    return s_->thread_id == std::this_thread::get_id();
  }

  // Cancels everything queued or running, lets the callbacks run, joins.
  // Not on the worker thread (see stop_from_worker).
  void stop() {
    cancel_all(nullptr);
    if (thread_.joinable()) thread_.join();
  }

  // stop() from a callback on the worker thread itself, which cannot join
  // itself: the thread is detached, runs the remaining callbacks (cancelled)
  // after the current one returns, then calls `last` and ends.
  void stop_from_worker(std::function<void()> last) {
    cancel_all(std::move(last));
    thread_.detach();
  }

 private:
  struct item {
    task run;
    std::shared_ptr<seatgate::detail::cancel_state> token;
  };
  struct state {
    mutable std::mutex mu;
    std::condition_variable cv;
    std::deque<item> queue;
    std::shared_ptr<seatgate::detail::cancel_state> running;
    bool stopping = false;
    bool detached = false;
    std::thread::id thread_id;
    std::function<void()> last;  // run by the thread as it ends (deferred free)
  };

  void cancel_all(std::function<void()> last) {
    {
      std::lock_guard lock(s_->mu);
      s_->stopping = true;
      if (last) {
        s_->detached = true;
        s_->last = std::move(last);
      }
      for (auto& it : s_->queue) it.token->cancel();
      if (s_->running) s_->running->cancel();
    }
    s_->cv.notify_one();
  }

  static void run(state& s) {
    for (;;) {
      item it;
      {
        std::unique_lock lock(s.mu);
        s.cv.wait(lock, [&] { return s.stopping || !s.queue.empty(); });
        if (s.queue.empty()) break;
        it = std::move(s.queue.front());
        s.queue.pop_front();
        s.running = it.token;
        if (s.stopping) it.token->cancel();
      }
      it.run();
      std::lock_guard lock(s.mu);
      s.running.reset();
    }
    std::function<void()> last;
    {
      std::lock_guard lock(s.mu);
      last = std::move(s.last);
    }
    if (last) last();
  }

  std::shared_ptr<state> s_ = std::make_shared<state>();
  std::thread thread_;
};

}  // namespace seatgate::c_api
