// Polls a condition for tests that wait on another process (a server's
// background work, a webhook receiver): true as soon as `f()` holds, else
// `f()` once more after `limit`.
#pragma once

#include <chrono>
#include <thread>

namespace seatgate::test {

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

}  // namespace seatgate::test
