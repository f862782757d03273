#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace seatgate::bench {
namespace {
constexpr std::uint64_t k_half = std::uint64_t{1} << (histogram::k_sub_bits - 1);
constexpr std::uint64_t k_linear = std::uint64_t{1} << histogram::k_sub_bits;
}  // namespace

std::size_t histogram::index_of(std::uint64_t v) {
  v = std::min(v, k_max_trackable);
  if (v < k_linear) return static_cast<std::size_t>(v);
  // v >> shift lands in [half, 2 * half): the top k_sub_bits bits of v.
  const int shift = (63 - std::countl_zero(v)) - k_sub_bits + 1;
  return static_cast<std::size_t>(static_cast<std::uint64_t>(shift) * k_half + (v >> shift));
}

std::uint64_t histogram::highest_of(std::size_t index) {
  if (index < k_linear) return index;
  const std::uint64_t shift = index / k_half - 1;
  const std::uint64_t sub = index - shift * k_half;
  return ((sub + 1) << shift) - 1;
}

histogram::histogram() : counts_(index_of(k_max_trackable) + 1, 0) {}

void histogram::record(std::uint64_t value) {
  ++counts_[index_of(value)];
  ++total_;
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
  sum_ += static_cast<double>(value);
}

void histogram::merge(const histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
  sum_ += other.sum_;
}

std::uint64_t histogram::percentile(double p) const {
  if (total_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(total_)));
  rank = std::clamp<std::uint64_t>(rank, 1, total_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(highest_of(i), max_);
  }
  return max_;
}

}  // namespace seatgate::bench
