#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace seatgate::http {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, BurstThenRateAndRetryAfter) {
  rate_limiter lim(2.0, 3.0);  // 2/s, bursts of 3
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  EXPECT_TRUE(lim.allow("alice", t, retry));
  EXPECT_TRUE(lim.allow("alice", t, retry));
  EXPECT_TRUE(lim.allow("alice", t, retry));
  EXPECT_FALSE(lim.allow("alice", t, retry));
  EXPECT_EQ(retry, 1u);
  EXPECT_TRUE(lim.allow("bob", t, retry)) << "buckets are per user";
  EXPECT_TRUE(lim.allow("alice", t + 500ms, retry)) << "one token back after 1/rate";
  EXPECT_FALSE(lim.allow("alice", t + 500ms, retry));
}

TEST(RateLimiter, SlowRateRoundsRetryAfterUp) {
  rate_limiter lim(0.2, 1.0);  // one request per 5 s
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  EXPECT_TRUE(lim.allow("u", t, retry));
  EXPECT_FALSE(lim.allow("u", t, retry));
  EXPECT_EQ(retry, 5u);
}

TEST(RateLimiter, FullBucketsArePrunedWhenTooManyAreTracked) {
  rate_limiter lim(1000.0, 1.0);
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  for (std::size_t i = 0; i < rate_limiter::k_max_tracked; ++i)
    lim.allow("u" + std::to_string(i), t, retry);
  EXPECT_EQ(lim.tracked(), rate_limiter::k_max_tracked);
  lim.allow("newcomer", t + 1s, retry);  // all others refilled: pruned
  EXPECT_EQ(lim.tracked(), 1u);
}

}  // namespace
}  // namespace seatgate::http
