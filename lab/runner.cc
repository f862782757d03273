#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace seatgate::lab {
namespace {

using clock = std::chrono::steady_clock;

struct tally {
  std::vector<std::int64_t> latency_ns;
  std::int64_t last_booking_ns = 0;
  std::uint64_t booked = 0, sold = 0, lock_busy = 0, retries_exhausted = 0, errors = 0;
  std::uint64_t conflicts = 0, lost_locks = 0, paused = 0;
  std::string first_error;
};

double percentile_ms(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return static_cast<double>(sorted[std::min(i, sorted.size() - 1)]) / 1e6;
}

std::atomic<bool> g_stop{false};

}  // namespace

void request_stop() { g_stop.store(true); }
bool stop_requested() { return g_stop.load(); }

run_result run_strategy(strategy& s, const workload& w, unsigned connections, unsigned think_us) {
  s.reset(w);
  std::vector<std::unique_ptr<worker>> workers;
  for (unsigned i = 0; i < connections; ++i) workers.push_back(s.make_worker(i));

  std::vector<std::atomic<std::uint32_t>> per_seat(w.seat_count());
  std::vector<tally> tallies(connections);
  std::atomic<std::size_t> next{0};
  std::latch go(1);
  clock::time_point start;  // written before go.count_down(), read after go.wait()
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      tally& my = tallies[t];
      my.latency_ns.reserve(w.buyers.size() / connections + 16);
      go.wait();
      // Bounded: every buyer is taken once.
      for (std::size_t i = next.fetch_add(1); i < w.buyers.size() && !stop_requested();
           i = next.fetch_add(1)) {
        const buyer& b = w.buyers[i];
        const auto t0 = clock::now();
        const attempt a = workers[t]->book(b);
        const auto t1 = clock::now();
        my.latency_ns.push_back((t1 - t0).count());
        my.conflicts += a.conflicts;
        my.lost_locks += a.lost_lock ? 1 : 0;
        my.paused += a.paused ? 1 : 0;
        switch (a.result) {
          case outcome::booked:
            ++my.booked;
            my.last_booking_ns = std::max(my.last_booking_ns, (t1 - start).count());
            per_seat[w.seat_index(b)].fetch_add(1, std::memory_order_relaxed);
            break;
          case outcome::sold:
            ++my.sold;
            break;
          case outcome::lock_busy:
            ++my.lock_busy;
            break;
          case outcome::retries_exhausted:
            ++my.retries_exhausted;
            break;
          case outcome::error:
            ++my.errors;
            if (my.first_error.empty()) my.first_error = a.error;
            break;
        }
      }
    });
  }
  const double cpu_before = s.store_cpu_seconds();
  start = clock::now();
  go.count_down();
  for (auto& th : threads) th.join();
  const auto elapsed = clock::now() - start;
  const double cpu_after = s.store_cpu_seconds();
  workers.clear();

  run_result r;
  r.strategy = s.name();
  r.store = s.store();
  r.connections = connections;
  r.think_us = think_us;
  std::vector<std::int64_t> all;
  all.reserve(w.buyers.size());
  for (auto& t : tallies) {
    all.insert(all.end(), t.latency_ns.begin(), t.latency_ns.end());
    r.booked += t.booked;
    r.sold += t.sold;
    r.lock_busy += t.lock_busy;
    r.retries_exhausted += t.retries_exhausted;
    r.errors += t.errors;
    r.conflicts += t.conflicts;
    r.lost_locks += t.lost_locks;
    r.paused += t.paused;
    r.last_booking_ms = std::max(r.last_booking_ms, static_cast<double>(t.last_booking_ns) / 1e6);
    if (r.first_error.empty()) r.first_error = t.first_error;
  }
  r.buyers = all.size();
  std::sort(all.begin(), all.end());
  r.seconds = std::chrono::duration<double>(elapsed).count();
  r.throughput = r.seconds > 0 ? static_cast<double>(r.buyers) / r.seconds : 0;
  r.p50_ms = percentile_ms(all, 0.50);
  r.p99_ms = percentile_ms(all, 0.99);
  r.max_ms = all.empty() ? 0 : static_cast<double>(all.back()) / 1e6;
  r.store_cpu_s = cpu_after - cpu_before;

  std::vector<std::uint32_t> accepted(per_seat.size());
  for (std::size_t i = 0; i < per_seat.size(); ++i) accepted[i] = per_seat[i].load();
  r.counted = s.verify(w, accepted);
  return r;
}

}  // namespace seatgate::lab
