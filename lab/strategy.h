// What every strategy provides to the runner: a freshly reset store, one
// worker (own connections) per thread, the store's CPU time, and an
// independent count of double bookings once the run is over.
#pragma once

#include "workload.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seatgate::lab {

enum class outcome { booked, sold, lock_busy, retries_exhausted, error };

// One buyer's try, as the application saw it.
struct attempt {
  outcome result = outcome::error;
  unsigned conflicts = 0;  // optimistic: writes lost to a newer version
  bool lost_lock = false;  // the lock had expired (or changed hands) at release
  bool paused = false;     // lock-pause: this write was held up past the TTL
  std::string error;       // what went wrong, for outcome::error
};

class worker {
 public:
  virtual ~worker() = default;
  virtual attempt book(const buyer& b) = 0;
};

// Counted afterwards from the store's own record, not from the run's answers.
struct verdict {
  std::uint64_t recorded = 0;            // accepted bookings the store recorded
  std::uint64_t double_booked = 0;       // seats with more than one accepted booking
  std::uint64_t oversold = 0;            // accepted bookings beyond one per seat
  std::optional<bool> audit_consistent;  // seatgate's audit
  std::string note;
};

class strategy {
 public:
  virtual ~strategy() = default;
  virtual std::string name() const = 0;
  virtual std::string store() const = 0;  // what "store CPU" measures
  virtual void reset(const workload& w) = 0;
  virtual std::unique_ptr<worker> make_worker(unsigned index) = 0;
  virtual double store_cpu_seconds() const = 0;
  // `accepted` = the lab's own count of accepted bookings per seat index.
  virtual verdict verify(const workload& w, const std::vector<std::uint32_t>& accepted) = 0;
};

// Application work between reading a seat and writing it: a yield, or a sleep.
void think(unsigned think_us);

}  // namespace seatgate::lab
