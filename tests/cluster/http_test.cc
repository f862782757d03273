// Flash sales over HTTP on a Redis Cluster: events on all three masters,
// through one server and through three; no oversell, invariant per zone.
#include "cluster_fixture.h"

#include <map>
#include <mutex>
#include <random>
#include <set>

namespace seatgate::test {
namespace {

struct sale_result {
  std::map<std::string, long> sold;  // per event: quantities answered 201
  std::map<int, int> statuses;
  std::set<std::string> ids;
  int duplicates = 0;
};

// `clients` threads each send `per_client` reserves, round-robin over the
// events and over the servers.
sale_result flash_sale(const std::vector<server_process*>& servers,
                       const std::vector<std::string>& events, int clients, int per_client) {
  sale_result out;
  std::mutex mu;
  race(clients, [&](int i) {
    server_process& s = *servers[static_cast<std::size_t>(i) % servers.size()];
    api_client c(s);
    auto token = s.user_token("user-" + std::to_string(i));
    std::mt19937 rng(static_cast<unsigned>(i));
    for (int k = 0; k < per_client; ++k) {
      const auto& ev = events[static_cast<std::size_t>(i + k) % events.size()];
      int q = 1 + static_cast<int>(rng() % 3);
      auto r =
          c.reserve(token, ev, "floor", q, "key-" + std::to_string(i) + "-" + std::to_string(k));
      std::lock_guard lock(mu);
      out.statuses[r.status]++;
      if (r.status == 201) {
        if (!out.ids.insert(r.js()["id"].get<std::string>()).second) ++out.duplicates;
        out.sold[ev] += q;
      } else {
        EXPECT_TRUE(r.code() == "sold_out" || r.code() == "user_limit_exceeded") << r.body;
      }
    }
  });
  return out;
}

void expect_invariant(api_client& admin, const std::vector<std::string>& events,
                      const sale_result& sale, long capacity) {
  for (const auto& ev : events) {
    auto c = counts(admin, ev);
    EXPECT_TRUE(c.consistent) << ev << ": " << c.audit.dump();
    EXPECT_EQ(c.capacity, capacity) << ev;
    EXPECT_EQ(c.available + c.held + c.sold, capacity) << ev;
    auto it = sale.sold.find(ev);
    EXPECT_EQ(c.held, it == sale.sold.end() ? 0 : it->second) << ev << ": every 201 is a hold";
  }
}

TEST_F(ClusterHttp, FlashSaleOverThreeMastersThroughOneServer) {
  auto server = start_server();
  api_client admin(*server);
  auto events = events_on_every_master("rush");
  ASSERT_EQ(events.size(), 3u);
  std::set<unsigned short> owners;
  for (const auto& ev : events) {
    owners.insert(cluster_.master_of(event_slot(ev)));
    ASSERT_EQ(admin.put_event(ev, event_config(150, 600, 3, 100)).status, 201) << ev;
  }
  EXPECT_EQ(owners.size(), 3u) << "one event per master";
  auto sale = flash_sale({server.get()}, events, 60, 15);
  EXPECT_EQ(sale.duplicates, 0);
  EXPECT_EQ(sale.statuses[201] + sale.statuses[409], 60 * 15) << "only 201 and 409 expected";
  expect_invariant(admin, events, sale, 150);
  long sold = 0;
  for (auto& [ev, n] : sale.sold) sold += n;
  EXPECT_EQ(sold, 450) << "demand exceeds supply: every seat of every event sells";
}

TEST_F(ClusterHttp, ThreeServersOnOneClusterNeverOversell) {
  auto a = start_server(), b = start_server(), c = start_server();
  api_client admin(*a);
  auto events = events_on_every_master("trio");
  for (const auto& ev : events)
    ASSERT_EQ(admin.put_event(ev, event_config(120, 600, 3, 100)).status, 201) << ev;
  auto sale = flash_sale({a.get(), b.get(), c.get()}, events, 60, 12);
  EXPECT_EQ(sale.duplicates, 0);
  EXPECT_EQ(sale.statuses[201] + sale.statuses[409], 60 * 12) << "only 201 and 409 expected";
  expect_invariant(admin, events, sale, 120);
  // Every server reads the same counters.
  api_client other(*c);
  for (const auto& ev : events) EXPECT_EQ(counts(admin, ev), counts(other, ev)) << ev;
}

}  // namespace
}  // namespace seatgate::test
