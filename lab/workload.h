// The sale every strategy runs: E events x S seats, B buyers who each try to
// book one seat once; a fixed seed makes the same buyers want the same seats.
#pragma once

#include <cstdint>
#include <vector>

namespace seatgate::lab {

struct options;

struct buyer {
  std::uint32_t id;
  std::uint32_t event;  // 0..E-1
  std::uint32_t seat;   // 0..S-1 within the event
};

struct workload {
  unsigned events = 0, seats = 0;
  std::vector<buyer> buyers;
  std::uint64_t seed = 0;
  unsigned seat_count() const { return events * seats; }
  unsigned seat_index(const buyer& b) const { return b.event * seats + b.seat; }
};

// SplitMix64: a tiny, portable generator (std distributions differ between
// standard libraries; this keeps one seed one workload everywhere).
std::uint64_t mix64(std::uint64_t x);

// hot_percent of the buyers pick one of the first `hot` seats of a random
// event, the others one of the remaining seats (or any seat if none remain).
workload make_workload(const options& o);

}  // namespace seatgate::lab
