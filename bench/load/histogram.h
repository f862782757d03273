// A log-linear latency histogram in the style of HdrHistogram: values below
// 2^k_sub_bits are counted exactly; above, every power of two is split into
// 2^(k_sub_bits-1) linear buckets, so a reported value is within 0.1% of the
// recorded one. Recording is O(1) and allocation-free; histograms of several
// threads merge by adding counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seatgate::bench {

class histogram {
 public:
  static constexpr int k_sub_bits = 11;
  // Values above this (2^42 ns, ~73 min) are clamped into the last bucket.
  static constexpr std::uint64_t k_max_trackable = (std::uint64_t{1} << 42) - 1;

  histogram();

  void record(std::uint64_t value);
  void merge(const histogram& other);

  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }
  std::uint64_t min() const { return total_ ? min_ : 0; }
  double mean() const { return total_ ? sum_ / static_cast<double>(total_) : 0.0; }

  // The smallest recorded value v such that at least `p` percent of the
  // values are <= v, reported as the highest value of its bucket (never
  // above max()). 0 when empty. `p` in [0, 100].
  std::uint64_t percentile(double p) const;

  static std::size_t index_of(std::uint64_t value);
  static std::uint64_t highest_of(std::size_t index);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = ~std::uint64_t{0};
  double sum_ = 0;
};

}  // namespace seatgate::bench
