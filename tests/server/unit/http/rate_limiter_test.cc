#include "http/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST(RateLimiter, AnEarlierClockReadingGivesNoTokensBack) {
  // Threads read the clock before they take a shard's lock: a reading older
  // than the bucket's last one must neither refill nor drain it.
  rate_limiter lim(1.0, 1.0);
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  EXPECT_TRUE(lim.allow("u", t, retry));
  EXPECT_FALSE(lim.allow("u", t - 10s, retry));
  EXPECT_FALSE(lim.allow("u", t, retry));
  EXPECT_TRUE(lim.allow("u", t + 1s, retry));
}

// Keys whose buckets share one shard.
std::vector<std::string> keys_in_shard(std::size_t shard, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; out.size() < n; ++i) {
    std::string k = "k" + std::to_string(i);
    if (rate_limiter::shard_of(k) == shard) out.push_back(std::move(k));
  }
  return out;
}

TEST(RateLimiter, FullBucketsArePrunedWhenAShardIsFull) {
  rate_limiter lim(1.0, 2.0);
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  const auto keys = keys_in_shard(0, rate_limiter::k_max_per_shard + 1);
  for (std::size_t i = 0; i < rate_limiter::k_max_per_shard; ++i)
    ASSERT_TRUE(lim.allow(keys[i], t, retry));
  EXPECT_EQ(lim.tracked(), rate_limiter::k_max_per_shard);
  // Ten seconds on every bucket is full again except the one just drained.
  const std::string& busy = keys[0];
  EXPECT_TRUE(lim.allow(busy, t + 10s, retry));
  EXPECT_TRUE(lim.allow(busy, t + 10s, retry));
  EXPECT_TRUE(lim.allow(keys.back(), t + 10s, retry));  // the shard is full: prune
  EXPECT_EQ(lim.tracked(), 2u) << "full buckets dropped, the drained one kept";
  EXPECT_FALSE(lim.allow(busy, t + 10s, retry)) << "the kept bucket is still empty";
}

TEST(RateLimiter, MemoryStaysBoundedWhenNoBucketIsFull) {
  // A flood of distinct keys, none refilling: the shard drops its stalest.
  rate_limiter lim(0.001, 1.0);
  auto t = rate_limiter::clock::time_point{} + 1h;
  unsigned retry = 0;
  const auto keys = keys_in_shard(3, rate_limiter::k_max_per_shard + 10);
  for (std::size_t i = 0; i < keys.size(); ++i)
    EXPECT_TRUE(lim.allow(keys[i], t + std::chrono::milliseconds(i), retry));
  EXPECT_EQ(lim.tracked(), rate_limiter::k_max_per_shard);
  EXPECT_FALSE(lim.allow(keys.back(), t + std::chrono::milliseconds(keys.size()), retry))
      << "a recent bucket was kept";
  for (std::size_t i = 0; i < rate_limiter::k_max_tracked * 6 / 5; ++i)
    lim.allow("flood-" + std::to_string(i), t + 10s, retry);
  EXPECT_LE(lim.tracked(), rate_limiter::k_max_tracked);
}

TEST(RateLimiter, SharedByThreadsNeverAllowsMoreThanBurstPlusRateTimesElapsed) {
  // The limiter is shared by every I/O thread: however many threads ask for
  // one key's tokens at once, together they get at most burst + rate x time.
  constexpr double k_rate = 200, k_burst = 50;
  constexpr int k_threads = 8, k_tries = 10000;
  rate_limiter lim(k_rate, k_burst);
  std::atomic<long> allowed{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < k_threads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      unsigned retry = 0;
      long mine = 0;
      for (int n = 0; n < k_tries; ++n) {
        if (lim.allow("hot", rate_limiter::clock::now(), retry)) ++mine;
        // Other keys at the same time, so shards fill, prune and evict.
        lim.allow("t" + std::to_string(i) + "-" + std::to_string(n), rate_limiter::clock::now(),
                  retry);
      }
      allowed += mine;
    });
  }
  const auto start = rate_limiter::clock::now();  // before any allow() call
  go = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(rate_limiter::clock::now() - start).count();
  const double bound = k_burst + k_rate * elapsed;
  EXPECT_GE(allowed.load(), static_cast<long>(k_burst));
  EXPECT_LE(static_cast<double>(allowed.load()), bound + 1e-6)
      << "elapsed " << elapsed << " s across " << k_threads << " threads";
  EXPECT_LE(lim.tracked(), rate_limiter::k_max_tracked);
}

TEST(ClientKey, IPv4AsIsIPv6ByItsSlash64) {
  using boost::asio::ip::make_address;
  EXPECT_EQ(client_key(make_address("203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(client_key(make_address("::ffff:203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(client_key(make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), "2001:db8:1:2::/64");
  EXPECT_EQ(client_key(make_address("2001:db8:1:2::1")),
            client_key(make_address("2001:db8:1:2::ffff")));
  EXPECT_NE(client_key(make_address("2001:db8:1:2::1")),
            client_key(make_address("2001:db8:1:3::1")));
}

}  // namespace
}  // namespace seatgate::http
