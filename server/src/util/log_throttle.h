// Lets one log line through per interval and counts the ones held back, so
// an error repeating in a tight loop costs one line per interval, not one
// per occurrence. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace seatgate::log {

class throttle {
 public:
  using clock = std::chrono::steady_clock;
  explicit throttle(clock::duration interval = std::chrono::seconds(1)) : interval_(interval) {}

  // True when a line may be written now; `suppressed` is then the number of
  // calls held back since the last line that got through. False (and the
  // call counted) otherwise.
  bool allow(std::uint64_t& suppressed, clock::time_point now = clock::now()) {
    std::lock_guard lock(mu_);
    if (written_ && now - last_ < interval_) {
      ++held_;
      return false;
    }
    written_ = true;
    last_ = now;
    suppressed = held_;
    held_ = 0;
    return true;
  }

 private:
  std::mutex mu_;
  clock::duration interval_;
  clock::time_point last_{};
  bool written_ = false;
  std::uint64_t held_ = 0;
};

}  // namespace seatgate::log
