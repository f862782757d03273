// Real concurrency: many connections racing the scripts on one event.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "lua_fixture.h"

namespace seatgate::test {
namespace {

using Concurrency = LuaTest;

TEST_F(Concurrency, RacingReservesNeverOversell) {
  constexpr int k_capacity = 40, k_threads = 12, k_attempts = 25;
  event_config cfg;
  cfg.zones = {{"floor", k_capacity}};
  cfg.max_per_user = 1000;
  make_event("e1", cfg);

  std::atomic<bool> stop{false};
  std::atomic<int> audits{0}, inconsistent{0};
  std::thread watcher([&] {
    lua_client w(*server_);
    while (!stop) {
      auto j = w.audit("e1").json();
      auto z = j["zones"][0];
      if (!j["consistent"].get<bool>() || z["held"].get<int>() + z["sold"].get<int>() > k_capacity)
        ++inconsistent;
      ++audits;
    }
  });

  std::mutex mu;
  std::map<std::string, long long> won;  // rid -> quantity
  std::set<std::string> confirmed;
  std::map<std::string, int> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      lua_client me(*server_);
      for (int i = 0; i < k_attempts; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        std::string user = "u" + std::to_string(t), q = std::to_string(1 + (i % 3));
        auto r = me.reserve("e1", "e1." + id, user, "floor", q, "k" + id, "fp" + id);
        if (r.ok) {
          // A retry of the same request must answer the same reservation.
          auto again = me.reserve("e1", "e1.retry" + id, user, "floor", q, "k" + id, "fp" + id);
          bool conf = i % 2 == 0 && me.confirm("e1", "e1." + id, user, "c" + id, "cfp" + id).ok;
          std::lock_guard lock(mu);
          won[r.reservation["id"]] = std::stoll(r.reservation["quantity"]);
          if (conf) confirmed.insert(r.reservation["id"]);
          if (again.replayed != 1 || again.reservation["id"] != r.reservation["id"])
            ++failures["bad_replay"];
        } else {
          std::lock_guard lock(mu);
          ++failures[r.code];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  stop = true;
  watcher.join();

  EXPECT_GT(audits.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(failures.count("bad_replay"), 0u);
  for (const auto& [code, n] : failures) EXPECT_EQ(code, "sold_out") << n;
  long long held = 0, sold = 0;
  for (const auto& [rid, q] : won) (confirmed.count(rid) ? sold : held) += q;
  auto z = zone("e1");
  EXPECT_EQ(z.held, held);
  EXPECT_EQ(z.sold, sold);
  EXPECT_LE(held + sold, k_capacity);
  EXPECT_EQ(z.available, k_capacity - held - sold);
  EXPECT_GE(held + sold, k_capacity - 2);  // demand far exceeds supply
  EXPECT_EQ(cnt("e1", "held") + cnt("e1", "confirmed"), static_cast<long long>(won.size()));
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(Concurrency, SweeperRacingConfirmAndReleaseEndsEachHoldOnce) {
  constexpr int k_holds = 240, k_workers = 4, k_users = 24;
  event_config cfg;
  cfg.zones = {{"floor", 1000}};
  cfg.max_per_user = 1000;
  make_event("e1", cfg);
  std::vector<std::string> rids, users;
  std::vector<long long> qty;
  for (int i = 0; i < k_holds; ++i) {
    rids.push_back("e1.h" + std::to_string(i));
    users.push_back("u" + std::to_string(i % k_users));
    qty.push_back(1 + i % 2);
    auto r =
        c->reserve("e1", rids[i], users[i], "floor", std::to_string(qty[i]), "k" + rids[i], "fp");
    ASSERT_TRUE(r.ok) << r.code;
  }
  // A third is due already, a third falls due during the race (spread over
  // the next ~120 ms), a third stays live: every outcome must occur even on
  // a slow machine, and the middle third races for real.
  long long base = c->now_ms();
  for (int i = 0; i < k_holds; ++i) {
    long long when = i % 3 == 0   ? base - 1000
                     : i % 3 == 1 ? base + 20 + (i * 7) % 120
                                  : base + 600000;
    layout::set_expires_at(*server_, "e1", rids[i], when);
  }

  std::atomic<bool> stop{false};
  std::atomic<long long> swept{0};
  std::vector<std::thread> sweepers;
  for (int s = 0; s < 2; ++s)
    sweepers.emplace_back([&] {
      lua_client me(*server_);
      while (!stop) {
        swept += me.expire("e1", "5").n;
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
    });

  std::vector<std::string> outcome(k_holds);
  std::vector<std::thread> workers;
  for (int w = 0; w < k_workers; ++w)
    workers.emplace_back([&, w] {
      lua_client me(*server_);
      for (int i = w; i < k_holds; i += k_workers) {
        auto r = (i / k_workers) % 2 == 0
                     ? me.confirm("e1", rids[i], users[i], "c" + rids[i], "cfp")
                     : me.release("e1", rids[i], users[i]);
        outcome[i] = r.ok ? r.reservation["status"] : r.code;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    });
  for (auto& t : workers) t.join();
  stop = true;
  for (auto& t : sweepers) t.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  swept += c->expire("e1", "1000").n;

  std::map<std::string, long long> count, user_owned;
  long long sold = 0;
  for (int i = 0; i < k_holds; ++i) {
    auto st = status_of("e1", rids[i]);
    ++count[st];
    if (outcome[i] == "confirmed") {
      EXPECT_EQ(st, "confirmed") << rids[i];
      sold += qty[i];
      user_owned[users[i]] += qty[i];
    } else if (outcome[i] == "released") {
      EXPECT_EQ(st, "released") << rids[i];
    } else {
      EXPECT_EQ(outcome[i], "reservation_expired") << rids[i];
      EXPECT_EQ(st, "expired") << rids[i];
    }
  }
  // Both outcomes happened, or the race proved nothing.
  EXPECT_GT(count["expired"], 0);
  EXPECT_GT(count["confirmed"] + count["released"], 0);
  EXPECT_LE(swept.load(), count["expired"]);
  EXPECT_EQ(cnt("e1", "held"), 0);
  EXPECT_EQ(cnt("e1", "confirmed"), count["confirmed"]);
  EXPECT_EQ(cnt("e1", "released"), count["released"]);
  EXPECT_EQ(cnt("e1", "expired"), count["expired"]);
  auto z = zone("e1");
  EXPECT_EQ(z.held, 0);
  EXPECT_EQ(z.sold, sold);
  EXPECT_EQ(z.available, 1000 - sold);
  for (int u = 0; u < k_users; ++u) {
    auto user = "u" + std::to_string(u);
    EXPECT_EQ(used("e1", user), user_owned[user]) << user;
  }
  EXPECT_EQ(c->command({"ZLEXCOUNT", store::event_keys("e1").index(), "[e:", "(e;"})->integer, 0);
  EXPECT_TRUE(audit_consistent("e1"));
}

}  // namespace
}  // namespace seatgate::test
