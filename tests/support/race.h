// Runs fn(thread_index) on n threads released together: the concurrency
// tests' way to make requests race.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace seatgate::test {

template <class F>
void race(int n, F fn) {
  std::atomic<int> waiting{n};
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&, i] {
      waiting.fetch_sub(1);
      while (waiting.load() > 0) std::this_thread::yield();
      fn(i);
    });
  for (auto& t : ts) t.join();
}

}  // namespace seatgate::test
