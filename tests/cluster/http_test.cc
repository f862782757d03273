// Flash sales over HTTP on a Redis Cluster: events on all three masters,
// through one server and through three; no oversell, invariant per zone;
// three servers admitting from the same waiting rooms never let more than a
// room's capacity in.
#include "cluster_fixture.h"
#include "room_client.h"

#include <algorithm>
#include <array>
#include <iostream>

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

// One waiting room per master (capacity 3), 15 users each joining through
// the three servers in turn, every server's admission loop admitting from
// every room. A sampler reads each room's live passes all along (ZCARD of
// its passes: what the admission script counts); the users count
// themselves too (admitted until they buy or leave). Neither count ever
// exceeds the capacity; everyone is admitted in the end, as others buy
// (the used pass is deleted) or leave (the unused pass is given back).
TEST_F(ClusterHttp, ThreeServersNeverAdmitMoreThanARoomsCapacity) {
  constexpr long k_capacity = 3;
  constexpr int k_users = 15;  // per room
  auto a = start_server(), b = start_server(), c = start_server();
  const std::vector<server_process*> servers = {a.get(), b.get(), c.get()};
  room_client admin(*a);
  auto events = events_on_every_master("gate");
  ASSERT_EQ(events.size(), 3u);
  for (const auto& ev : events)
    ASSERT_EQ(admin.put_event(ev, room_event(k_capacity, 20, 60, 100)).status, 201) << ev;

  std::atomic<bool> done{false};
  std::array<long, 3> max_sampled{};
  long samples = 0;
  std::thread sampler([&] {
    std::vector<context_ptr> conns;
    for (const auto& ev : events)
      conns.push_back(cluster_.connect(cluster_.master_of(event_slot(ev))));
    while (!done.load()) {
      for (std::size_t e = 0; e < events.size(); ++e) {
        auto r = send_command(conns[e].get(), {"ZCARD", P(events[e]) + "passes"});
        ASSERT_TRUE(r && r->type == REDIS_REPLY_INTEGER);
        max_sampled[e] = std::max(max_sampled[e], static_cast<long>(r->integer));
      }
      ++samples;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  std::array<std::atomic<long>, 3> holding{}, max_holding{};
  std::atomic<int> admitted{0}, bought{0}, left{0};
  std::mutex mu;
  std::vector<std::string> failures;
  auto fail = [&](const std::string& what) {
    std::lock_guard lock(mu);
    failures.push_back(what);
  };
  race(3 * k_users, [&](int i) {
    const std::size_t e = static_cast<std::size_t>(i) % 3;
    server_process& s = *servers[static_cast<std::size_t>(i / 3) % 3];
    room_client cl(s);
    const std::string user = "fan-" + std::to_string(i);
    auto token = s.user_token(user);
    auto j = cl.join(token, events[e]);
    if (j.status != 200) return fail(user + " join: " + std::to_string(j.status) + " " + j.body);
    auto pass = cl.wait_for_pass(token, events[e], std::chrono::seconds(90));
    if (pass.empty()) return fail(user + " was never admitted");
    ++admitted;
    const long now = ++holding[e];
    long seen = max_holding[e].load();
    while (now > seen && !max_holding[e].compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // choosing seats
    --holding[e];  // before the pass is used or given back: still live then
    if (i % 2 == 0) {
      auto r = cl.reserve_with(token, events[e], pass, "buy-" + user);
      if (r.status != 201) return fail(user + " reserve: " + std::to_string(r.status) + r.body);
      ++bought;
    } else {
      auto r = cl.leave(token, events[e]);
      if (r.status != 200) return fail(user + " leave: " + std::to_string(r.status) + r.body);
      ++left;
    }
  });
  done = true;
  sampler.join();

  EXPECT_TRUE(failures.empty()) << failures.size() << " failures, first: " << failures.front();
  EXPECT_EQ(admitted.load(), 3 * k_users) << "everyone is admitted in the end";
  EXPECT_GT(samples, 0);
  long buyers = 0;
  for (std::size_t e = 0; e < events.size(); ++e) {
    EXPECT_LE(max_sampled[e], k_capacity) << events[e] << ": live passes over the capacity";
    std::cout << events[e] << ": at most " << max_sampled[e] << " live passes in " << samples
              << " samples, " << max_holding[e].load() << " users admitted at once\n";
    EXPECT_LE(max_holding[e].load(), k_capacity) << events[e] << ": admitted users at once";
    auto room = admin.audit(events[e]).js()["waiting_room"];
    EXPECT_EQ(room["waiting"], 0) << events[e];
    auto z = counts(admin, events[e]);
    EXPECT_TRUE(z.consistent) << z.audit.dump();
    EXPECT_EQ(z.available + z.held + z.sold, 100) << events[e];
    buyers += z.held;
  }
  EXPECT_EQ(buyers, bought.load()) << "one seat held per buyer, no more";
  EXPECT_EQ(bought.load() + left.load(), 3 * k_users);
  // The used passes are deleted and the given-back ones gone: every room empties.
  for (const auto& ev : events)
    EXPECT_TRUE(eventually([&] {
      return admin.audit(ev).js()["waiting_room"]["live_passes"] == 0;
    })) << ev;
}

}  // namespace
}  // namespace seatgate::test
