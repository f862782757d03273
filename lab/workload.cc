#include "workload.h"

#include "options.h"

namespace seatgate::lab {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

workload make_workload(const options& o) {
  workload w;
  w.events = o.events;
  w.seats = o.seats;
  w.seed = o.seed;
  w.buyers.reserve(o.buyers);
  std::uint64_t state = o.seed;
  const auto next = [&](std::uint64_t n) { return (state = mix64(state)) % n; };
  for (std::uint32_t i = 0; i < o.buyers; ++i) {
    buyer b{i, static_cast<std::uint32_t>(next(o.events)), 0};
    const bool wants_hot = o.hot > 0 && next(100) < o.hot_percent;
    if (wants_hot || o.hot == o.seats)
      b.seat = static_cast<std::uint32_t>(next(o.hot == 0 ? o.seats : o.hot));
    else
      b.seat = o.hot + static_cast<std::uint32_t>(next(o.seats - o.hot));
    w.buyers.push_back(b);
  }
  return w;
}

}  // namespace seatgate::lab
