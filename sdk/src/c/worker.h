// The C API's asynchronous calls run on a small pool of worker threads per
// client, so one slow call (a long wait_for_pass) does not hold the others.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "../native/cancel.h"

namespace seatgate::c_api {

// Called at the start and the end of every worker thread (JNI
// AttachCurrentThread / DetachCurrentThread).
struct thread_hooks {
  void (*attach)(void*) = nullptr;
  void (*detach)(void*) = nullptr;
  void* user_data = nullptr;
};

// Up to max_threads threads, started on demand when every thread is busy,
// taking tasks in submission order (one thread: one after another). Its
// state is shared with the threads, so they can outlive the worker object
// when the client is freed from one of its own callbacks.
class worker {
 public:
  using task = std::function<void()>;
  ~worker() { stop(); }

  // Before the first post.
  void configure(std::size_t max_threads, thread_hooks hooks) {
    std::lock_guard lock(s_->mu);
    s_->max_threads = std::max<std::size_t>(1, max_threads);
    s_->hooks = hooks;
  }

  void post(task t, std::shared_ptr<seatgate::detail::cancel_state> token) {
    std::lock_guard lock(s_->mu);
    s_->queue.push_back({std::move(t), std::move(token)});
    if (s_->queue.size() > s_->idle && threads_.size() < s_->max_threads && !s_->detached) {
      threads_.emplace_back([s = s_] { run(*s); });
      s_->ids.push_back(threads_.back().get_id());
      ++s_->live;
    }
    s_->cv.notify_one();
  }

  bool on_worker_thread() const {
    std::lock_guard lock(s_->mu);
    return std::find(s_->ids.begin(), s_->ids.end(), std::this_thread::get_id()) != s_->ids.end();
  }

  // Cancels everything queued or running, lets the callbacks run, joins.
  // Not on a worker thread (see stop_from_worker).
  void stop() {
    cancel_all(nullptr);
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

  // stop() from a callback on a worker thread, which cannot join itself: the
  // threads are detached, run the remaining callbacks (cancelled), and the
  // last one to end calls `last`.
  void stop_from_worker(std::function<void()> last) {
    cancel_all(std::move(last));
    for (auto& t : threads_)
      if (t.joinable()) t.detach();
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
    std::vector<std::shared_ptr<seatgate::detail::cancel_state>> running;
    std::vector<std::thread::id> ids;
    std::size_t max_threads = 1;
    std::size_t idle = 0;  // threads waiting for a task
    std::size_t live = 0;  // threads started and not yet ended
    thread_hooks hooks;
    bool stopping = false;
    bool detached = false;
    std::function<void()> last;  // run by the last thread as it ends (deferred free)
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
      for (auto& r : s_->running) r->cancel();
    }
    s_->cv.notify_all();
  }

  static void run(state& s) {
    thread_hooks hooks;
    {
      std::lock_guard lock(s.mu);
      hooks = s.hooks;
    }
    if (hooks.attach) hooks.attach(hooks.user_data);
    for (;;) {
      item it;
      {
        std::unique_lock lock(s.mu);
        ++s.idle;
        s.cv.wait(lock, [&] { return s.stopping || !s.queue.empty(); });
        --s.idle;
        if (s.queue.empty()) break;
        it = std::move(s.queue.front());
        s.queue.pop_front();
        s.running.push_back(it.token);
        if (s.stopping) it.token->cancel();
      }
      it.run();
      std::lock_guard lock(s.mu);
      s.running.erase(std::find(s.running.begin(), s.running.end(), it.token));
    }
    if (hooks.detach) hooks.detach(hooks.user_data);
    std::function<void()> last;
    {
      std::lock_guard lock(s.mu);
      if (--s.live == 0) last = std::move(s.last);
    }
    if (last) last();
  }

  std::shared_ptr<state> s_ = std::make_shared<state>();
  std::vector<std::thread> threads_;
};

}  // namespace seatgate::c_api
