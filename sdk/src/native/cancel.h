// Shared state behind cancel_token: a flag, a condition variable for
// interruptible backoff, and the hooks of the calls using the token (abort
// the in-flight request, cancel an async call's own token).
//
// Every holder keeps the state alive by shared_ptr, so a token's handle may
// be freed while calls still use it. A call registers its hook while it needs
// it and removes it when done, so a long-lived token holds only the hooks of
// the calls running now. cancel() runs the hooks under the mutex: once
// remove() returns, the hook is not running and never will, so the hook may
// point at things (a pooled connection) that the caller frees or reuses next.
// Hooks must not call back into the same state.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace seatgate::detail {

struct cancel_state {
  using registration = std::uint64_t;  // 0: not registered (already cancelled)

  // Runs `hook` when the state is cancelled. Returns 0 without keeping the
  // hook if it already is.
  registration add(std::function<void()> hook) {
    std::lock_guard lock(mu_);
    if (cancelled_) return 0;
    const registration id = ++next_id_;
    hooks_.emplace(id, std::move(hook));
    return id;
  }
  // Forgets a hook; waits for it if cancel() is running it. Returns whether
  // the state is cancelled.
  bool remove(registration id) {
    std::lock_guard lock(mu_);
    hooks_.erase(id);
    return cancelled_;
  }
  void cancel() {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    cv_.notify_all();
    auto hooks = std::move(hooks_);
    hooks_.clear();
    for (auto& [id, hook] : hooks) hook();
  }
  bool cancelled() {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  // Hooks held now (for tests: a token must not grow with its calls).
  std::size_t registrations() {
    std::lock_guard lock(mu_);
    return hooks_.size();
  }
  // Sleeps for d; false if cancelled first.
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [&] { return cancelled_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool cancelled_ = false;
  registration next_id_ = 0;
  std::map<registration, std::function<void()>> hooks_;
};

// `child` is cancelled when `parent` is (at once if it already is), until
// the link is destroyed. An async call links its own token to the caller's
// for as long as it runs.
class cancel_link {
 public:
  cancel_link(std::shared_ptr<cancel_state> parent, const std::shared_ptr<cancel_state>& child)
      : parent_(std::move(parent)) {
    if (!parent_) return;
    id_ = parent_->add([w = std::weak_ptr<cancel_state>(child)] {
      if (auto c = w.lock()) c->cancel();
    });
    if (id_ == 0) child->cancel();
  }
  ~cancel_link() {
    if (parent_ && id_ != 0) parent_->remove(id_);
  }
  cancel_link(const cancel_link&) = delete;
  cancel_link& operator=(const cancel_link&) = delete;

 private:
  std::shared_ptr<cancel_state> parent_;
  cancel_state::registration id_ = 0;
};

}  // namespace seatgate::detail
