// Concurrency is proven, not assumed: many clients race every inventory path
// over real HTTP, then the invariant available + held + sold == capacity is
// checked and nothing is sold twice. On one redis-server and, in the cluster
// run, on a Redis Cluster (test_redis.h), the events on all three masters.
#include "inventory_layout.h"
#include "api_client.h"
#include "race.h"
#include "test_redis.h"

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace seatgate::test {
namespace {

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = std::make_unique<test_redis>();
    server_process::options o;
    o.redis_url = redis_->url();
    o.args = {"--sweep-interval-ms", "50"};
    server_ = std::make_unique<server_process>(o);
    admin_ = std::make_unique<api_client>(*server_);
  }
  std::unique_ptr<test_redis> redis_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<api_client> admin_;
};

TEST_F(ConcurrencyTest, FiveThousandReservesOverTwoHundredConnectionsNeverOversell) {
  ASSERT_EQ(admin_->put_event("rush", event_config(1000, 600, 4, 100)).status, 201);
  constexpr int k_conns = 200, k_per_conn = 25;
  std::mutex mu;
  std::set<std::string> ids;
  long sold_sum = 0;
  std::map<int, int> statuses;
  std::map<std::string, int> codes;
  race(k_conns, [&](int i) {
    api_client c(*server_);
    auto token = server_->user_token("user-" + std::to_string(i));
    std::mt19937 rng(i);
    for (int k = 0; k < k_per_conn; ++k) {
      int q = 1 + static_cast<int>(rng() % 4);
      auto r = c.reserve(token, "rush", "floor", q,
                         "key-" + std::to_string(i) + "-" + std::to_string(k));
      std::lock_guard lock(mu);
      statuses[r.status]++;
      if (r.status == 201) {
        EXPECT_TRUE(ids.insert(r.js()["id"].get<std::string>()).second)
            << "duplicate reservation id";
        EXPECT_EQ(r.js()["quantity"], q);
        sold_sum += q;
      } else {
        codes[r.code()]++;
      }
    }
  });
  EXPECT_EQ(statuses[201] + statuses[409], k_conns * k_per_conn) << "only 201 and 409 expected";
  for (auto& [code, n] : codes)
    EXPECT_TRUE(code == "sold_out" || code == "user_limit_exceeded") << code;
  auto c = counts(*admin_, "rush");
  EXPECT_TRUE(c.consistent) << c.audit.dump();
  EXPECT_EQ(c.capacity, 1000);
  EXPECT_LE(c.held + c.sold, 1000);
  EXPECT_EQ(c.held, sold_sum) << "every success is a hold, and only successes are";
  EXPECT_EQ(c.available + c.held + c.sold, 1000);
  EXPECT_EQ(static_cast<long>(ids.size()), c.audit["reservations"]["held"].get<long>());
  // 5,000 requests of 2.5 seats on average for 1,000 seats: it must sell out
  // up to the last seat that any remaining request size could fill.
  EXPECT_LT(c.available, 4);
  // All of it went through group commit (on by default): every request in
  // exactly one reserve_seats call, and calls carrying several of them.
  const auto m = admin_->send("GET", "/metrics").body;
  const long calls = metric(m, "seatgate_reserve_calls_total");
  const long carried = metric(m, "seatgate_reserve_call_requests_total");
  EXPECT_EQ(carried, k_conns * k_per_conn);
  EXPECT_LT(calls, carried) << "no two requests ever shared a call";
}

TEST(GroupCommit, OffSendsEveryReservationAlone) {
  test_redis redis;
  server_process server({redis.url(), {"--reserve-batch", "1"}});
  api_client admin(server);
  ASSERT_EQ(admin.put_event("solo", event_config(100, 600, 4, 100)).status, 201);
  std::atomic<int> made{0};
  race(20, [&](int i) {
    api_client c(server);
    auto token = server.user_token("solo-" + std::to_string(i));
    for (int k = 0; k < 5; ++k)
      if (c.reserve(token, "solo", "floor", 1, "k" + std::to_string(i) + "-" + std::to_string(k))
              .status == 201)
        ++made;
  });
  const auto m = admin.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_reserve_calls_total"), 100);
  EXPECT_EQ(metric(m, "seatgate_reserve_call_requests_total"), 100);
  EXPECT_EQ(made.load(), 100);
  auto c = counts(admin, "solo");
  EXPECT_TRUE(c.consistent) << c.audit.dump();
  EXPECT_EQ(c.held, 100);
}

TEST_F(ConcurrencyTest, SameIdempotencyKeyHundredTimesAtOnceMakesOneReservation) {
  ASSERT_EQ(admin_->put_event("idem", event_config(1000)).status, 201);
  auto token = server_->user_token("alice");
  std::mutex mu;
  std::set<std::string> ids;
  std::map<int, int> statuses;
  int replayed = 0;
  race(100, [&](int) {
    api_client c(*server_);
    auto r = c.reserve(token, "idem", "floor", 2, "one-key");
    std::lock_guard lock(mu);
    statuses[r.status]++;
    if (r.status == 201) ids.insert(r.js()["id"].get<std::string>());
    if (r.header("Idempotent-Replayed") == "true") ++replayed;
  });
  EXPECT_EQ(statuses[201], 100);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(replayed, 99);
  auto c = counts(*admin_, "idem");
  EXPECT_EQ(c.held, 2);
  EXPECT_TRUE(c.consistent);
}

TEST_F(ConcurrencyTest, UserRacingPastMaxPerUserGetsExactlyTheLimit) {
  ASSERT_EQ(admin_->put_event("limit", event_config(1000, 600, 10, 10)).status, 201);
  auto token = server_->user_token("greedy");
  std::atomic<int> ok{0}, limited{0}, other{0};
  race(60, [&](int i) {
    api_client c(*server_);
    auto r = c.reserve(token, "limit", "floor", 1, "g-" + std::to_string(i));
    if (r.status == 201)
      ok++;
    else if (r.code() == "user_limit_exceeded")
      limited++;
    else
      other++;
  });
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(limited.load(), 50);
  EXPECT_EQ(other.load(), 0);
  auto c = counts(*admin_, "limit");
  EXPECT_EQ(c.held, 10);
  EXPECT_TRUE(c.consistent);
}

// Holds become due while clients confirm and release them and the sweeper
// runs: each hold leaves `held` exactly once.
TEST_F(ConcurrencyTest, ExpiryRacesConfirmAndRelease) {
  constexpr int k_holds = 200;
  ASSERT_EQ(admin_->put_event("expiry", event_config(1000, 600, 10, 10)).status, 201);
  std::vector<std::string> rids(k_holds), tokens(k_holds);
  std::vector<int> qty(k_holds);
  race(20, [&](int t) {
    api_client c(*server_);
    for (int i = t; i < k_holds; i += 20) {
      tokens[i] = server_->user_token("u" + std::to_string(i));
      qty[i] = 1 + i % 3;
      auto r = c.reserve(tokens[i], "expiry", "floor", qty[i], "h" + std::to_string(i));
      ASSERT_EQ(r.status, 201) << r.body;
      rids[i] = r.js()["id"];
    }
  });
  // Every hold falls due ~150 ms from now, by Redis's clock.
  auto t = redis_->command({"TIME"});
  long long now_ms = std::stoll(t->element[0]->str) * 1000 + std::stoll(t->element[1]->str) / 1000;
  for (int i = 0; i < k_holds; ++i)
    layout::set_expires_at(*redis_, "expiry", rids[i], now_ms + 150 + (i % 10) * 10);
  std::atomic<int> confirmed{0}, released{0}, expired_answers{0}, other{0};
  std::atomic<long> sold_q{0};
  race(20, [&](int th) {
    api_client c(*server_);
    for (int i = th; i < k_holds; i += 20) {
      auto r = (i % 2 == 0) ? c.confirm(tokens[i], rids[i], "c" + std::to_string(i))
                            : c.release(tokens[i], rids[i]);
      if (r.status == 200 && i % 2 == 0) {
        confirmed++;
        sold_q += qty[i];
      } else if (r.status == 200) {
        released++;
      } else if (r.status == 410) {
        expired_answers++;
      } else {
        other++;
        ADD_FAILURE() << r.status << " " << r.body;
      }
    }
  });
  // Let the sweeper finish whatever nobody touched.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto c = counts(*admin_, "expiry");
  EXPECT_TRUE(c.consistent) << c.audit.dump();
  EXPECT_EQ(c.held, 0);
  EXPECT_EQ(c.sold, sold_q.load());
  EXPECT_EQ(c.available + c.sold, 1000);
  auto res = c.audit["reservations"];
  EXPECT_EQ(res["confirmed"].get<int>(), confirmed.load());
  EXPECT_EQ(res["released"].get<int>(), released.load());
  EXPECT_EQ(res["confirmed"].get<int>() + res["released"].get<int>() + res["expired"].get<int>(),
            k_holds);
  EXPECT_EQ(res["held"].get<int>(), 0);
  EXPECT_EQ(other.load(), 0);
}

// Confirms go through group commit too: 1,000 holds confirmed by 100
// connections at once, each also retried with its key (a replay) and sent
// again with a new key (already confirmed). Every hold is sold exactly once,
// the counters add up, and confirms shared calls.
TEST_F(ConcurrencyTest, ConfirmsRacingInBatchesSellEachHoldOnce) {
  constexpr int k_users = 100, k_holds_each = 10;
  ASSERT_EQ(admin_->put_event("sell", event_config(3000, 600, 4, 100)).status, 201);
  std::vector<std::string> tokens(k_users);
  std::vector<std::vector<std::pair<std::string, int>>> holds(k_users);
  race(k_users, [&](int u) {
    api_client c(*server_);
    tokens[u] = server_->user_token("buyer-" + std::to_string(u));
    for (int k = 0; k < k_holds_each; ++k) {
      const int q = 1 + (u + k) % 3;
      auto r = c.reserve(tokens[u], "sell", "floor", q, "h" + std::to_string(u * 100 + k));
      ASSERT_EQ(r.status, 201) << r.body;
      holds[u].emplace_back(r.js()["id"].get<std::string>(), q);
    }
  });
  std::atomic<long> sold_q{0};
  std::atomic<int> confirmed{0}, replayed{0}, already{0}, other{0};
  race(k_users, [&](int u) {
    api_client c(*server_);
    for (const auto& [rid, q] : holds[u]) {
      auto first = c.confirm(tokens[u], rid, "c-" + rid);
      auto again = c.confirm(tokens[u], rid, "c-" + rid);
      auto other_key = c.confirm(tokens[u], rid, "d-" + rid);
      if (first.status == 200 && first.js()["status"] == "confirmed") {
        ++confirmed;
        sold_q += q;
      } else {
        ++other;
        ADD_FAILURE() << first.status << " " << first.body;
      }
      if (again.status == 200 && again.body == first.body)
        ++replayed;
      else
        ADD_FAILURE() << "replay: " << again.status << " " << again.body;
      if (other_key.status == 409 && other_key.code() == "already_confirmed")
        ++already;
      else
        ADD_FAILURE() << "new key: " << other_key.status << " " << other_key.body;
    }
  });
  EXPECT_EQ(confirmed.load(), k_users * k_holds_each);
  EXPECT_EQ(replayed.load(), k_users * k_holds_each);
  EXPECT_EQ(already.load(), k_users * k_holds_each);
  EXPECT_EQ(other.load(), 0);
  auto c = counts(*admin_, "sell");
  EXPECT_TRUE(c.consistent) << c.audit.dump();
  EXPECT_EQ(c.held, 0);
  EXPECT_EQ(c.sold, sold_q.load());
  EXPECT_EQ(c.available + c.held + c.sold, 3000);
  EXPECT_EQ(c.audit["reservations"]["confirmed"].get<int>(), k_users * k_holds_each);
  const auto m = admin_->send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, "seatgate_confirm_call_requests_total"), 3 * k_users * k_holds_each);
  EXPECT_LT(metric(m, "seatgate_confirm_calls_total"),
            metric(m, "seatgate_confirm_call_requests_total"))
      << "no two confirms ever shared a call";
}

// The cluster run's events ("rush", "idem", "limit", "expiry", "solo") sit
// on all three masters.
TEST(ConcurrencyOnCluster, TheEventsSpreadOverEveryMaster) {
  test_redis redis;
  if (!redis.is_cluster()) GTEST_SKIP() << "checks the cluster run only";
  std::set<std::string> nodes;
  for (const char* ev : {"rush", "idem", "limit", "expiry", "solo"})
    nodes.insert(redis.node_of(std::string("sg:{e:") + ev + "}:ev"));
  EXPECT_EQ(nodes.size(), 3u);
}

}  // namespace
}  // namespace seatgate::test
