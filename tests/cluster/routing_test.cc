// The routing connection (redis/connection.h with a redis+cluster:// URL)
// against a real cluster of 3 masters and 3 replicas: keys land on the
// master of their slot, MOVED and ASK are followed, bad configurations
// keep it not ready with a reason.
#include "live_util.h"
#include "loopback.h"
#include "redis/cluster/slot.h"
#include "redis_cluster.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace seatgate::redis::testing {
namespace {

class ClusterRouting : public ::testing::Test {
 protected:
  void open(std::string url) {
    conn = std::make_unique<connection>(ioc.get_executor(), test_options(std::move(url)), st);
    conn->start();
  }
  result run(command argv) {
    auto r = await(ioc, conn->command(std::move(argv)));
    EXPECT_TRUE(r.has_value()) << "command did not complete";
    return r.value_or(result{});
  }
  // A key "k<i>" whose slot the master on `port` serves.
  std::string key_on(unsigned short port, int from = 0) {
    for (int i = from; i < 100000; ++i) {
      std::string k = "k" + std::to_string(i);
      if (cluster.master_of(cluster::key_slot(k)) == port) return k;
    }
    return "";
  }
  void TearDown() override {
    conn.reset();
    run_for(ioc, std::chrono::milliseconds(20));
  }

  test::redis_cluster cluster;
  stats st;
  net::io_context ioc;
  std::unique_ptr<connection> conn;
};

// An archive lists an event's keys with SCAN MATCH sg:{e:<id>}:*: the
// pattern's hash tag sends it to that slot's master, wherever it is.
TEST_F(ClusterRouting, AScanMatchingOneHashTagGoesToThatSlotsMaster) {
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  for (auto port : cluster.masters()) {
    std::string prefix;
    for (int i = 0; i < 100000 && prefix.empty(); ++i) {
      const std::string p = "sg:{e:ev" + std::to_string(i) + "}:";
      if (cluster.master_of(cluster::key_slot(p + "ev")) == port) prefix = p;
    }
    ASSERT_FALSE(prefix.empty());
    for (const char* k : {"ev", "r", "out"}) ASSERT_FALSE(run({"SET", prefix + k, "1"}).second.is_error());
    std::set<std::string> found;
    std::string cursor = "0";
    do {
      auto [ec, r] = run({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "100"});
      ASSERT_FALSE(ec) << ec.message();
      ASSERT_TRUE(r.is_array() && r.elements.size() == 2) << r.str;
      cursor = r.elements[0].str;
      for (const auto& k : r.elements[1].elements) found.insert(k.str);
    } while (cursor != "0");
    EXPECT_EQ(found, (std::set<std::string>{prefix + "ev", prefix + "out", prefix + "r"})) << port;
  }
}

TEST_F(ClusterRouting, KeysLandOnTheMasterOfTheirSlot) {
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  EXPECT_TRUE(conn->clustered());
  auto masters = cluster.masters();
  ASSERT_EQ(masters.size(), 3u);
  for (auto port : masters) {
    auto key = key_on(port);
    auto [ec, r] = run({"SET", key, "on-" + std::to_string(port)});
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_FALSE(r.is_error()) << r.str;
    // Stored on that master itself (a plain connection, no redirect).
    auto direct = cluster.command(port, {"GET", key});
    ASSERT_TRUE(direct);
    ASSERT_EQ(direct->type, REDIS_REPLY_STRING);
    EXPECT_EQ(std::string(direct->str, direct->len), "on-" + std::to_string(port));
  }
  auto [ec, pong] = run({"PING"});
  EXPECT_FALSE(ec);
  EXPECT_EQ(pong.str, "PONG");
  EXPECT_EQ(st.redirects.load(), 0u);
}

TEST_F(ClusterRouting, ScriptsRunOnEveryMaster) {
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  for (auto port : cluster.masters()) {
    auto key = "sg:{e:" + key_on(port) + "}:ev";
    auto r = await(ioc, conn->eval(lua::script::read_event, {key}, {}, true));
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->first) << r->first.message();
    EXPECT_FALSE(r->second.is_error()) << r->second.str;
  }
}

TEST_F(ClusterRouting, MovedIsFollowedAndTheMapRefreshed) {
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  auto masters = cluster.masters();
  auto key = key_on(masters[0]);
  ASSERT_FALSE(run({"SET", key, "v1"}).first);
  cluster.move_slot(cluster::key_slot(key), masters[1]);
  auto [ec, r] = run({"GET", key});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(r.str, "v1");
  EXPECT_GE(st.redirects.load(), 1u);
  // The refreshed map sends the next call straight to the new owner.
  ASSERT_TRUE(run_until(ioc, [&] { return st.map_refreshes.load() >= 2; }));
  const auto before = st.redirects.load();
  EXPECT_EQ(run({"GET", key}).second.str, "v1");
  EXPECT_EQ(st.redirects.load(), before);
}

TEST_F(ClusterRouting, AskIsFollowedWhileTheSlotMigrates) {
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] { return conn->ready(); })) << conn->last_error();
  auto masters = cluster.masters();
  auto key = key_on(masters[0]);
  const std::string slot = std::to_string(cluster::key_slot(key));
  ASSERT_FALSE(run({"SET", key, "moving"}).first);
  // Half a migration: the key is already on the target, the slot still on
  // the source, which answers ASK.
  const auto from_id = cluster.node_id(masters[0]), to_id = cluster.node_id(masters[2]);
  cluster.command(masters[2], {"CLUSTER", "SETSLOT", slot, "IMPORTING", from_id});
  cluster.command(masters[0], {"CLUSTER", "SETSLOT", slot, "MIGRATING", to_id});
  auto migrated = cluster.command(
      masters[0], {"MIGRATE", "127.0.0.1", std::to_string(masters[2]), key, "0", "5000"});
  ASSERT_TRUE(migrated);
  ASSERT_NE(migrated->type, REDIS_REPLY_ERROR) << migrated->str;
  auto [ec, r] = run({"GET", key});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(r.str, "moving");
  EXPECT_GE(st.redirects.load(), 1u);
  // A second call is asked again: ASK does not change the map.
  EXPECT_EQ(run({"GET", key}).second.str, "moving");
  EXPECT_GE(st.redirects.load(), 2u);
}

TEST_F(ClusterRouting, PlainUrlAtAClusterNodeIsRefusedWithAReason) {
  open("redis://127.0.0.1:" + std::to_string(cluster.ports()[0]));
  ASSERT_TRUE(run_until(ioc, [&] { return !conn->last_error().empty(); }));
  run_for(ioc, std::chrono::milliseconds(200));
  EXPECT_FALSE(conn->ready());
  EXPECT_NE(conn->last_error().find("redis+cluster://"), std::string::npos) << conn->last_error();
}

TEST_F(ClusterRouting, UncoveredSlotsKeepItNotReady) {
  for (auto port : cluster.ports()) cluster.command(port, {"CLUSTER", "DELSLOTS", "100", "101"});
  open(cluster.url());
  ASSERT_TRUE(run_until(ioc, [&] {
    return conn->last_error().find("not served") != std::string::npos;
  })) << conn->last_error();
  EXPECT_FALSE(conn->ready());
  EXPECT_NE(conn->last_error().find("100-101"), std::string::npos) << conn->last_error();
}

TEST(ClusterRoutingSeeds, UnreachableSeedsKeepItNotReady) {
  stats st;
  net::io_context ioc;
  auto port = std::to_string(test::free_port());
  auto conn = std::make_unique<connection>(ioc.get_executor(),
                                           test_options("redis+cluster://127.0.0.1:" + port), st);
  conn->start();
  ASSERT_TRUE(run_until(ioc, [&] {
    return conn->last_error().find("127.0.0.1:" + port) != std::string::npos;
  })) << conn->last_error();
  EXPECT_FALSE(conn->ready());
  auto r = await(ioc, conn->command({"GET", "x"}));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->first);  // an error, within the command timeout, no crash
  conn.reset();
  run_for(ioc, std::chrono::milliseconds(20));
}

}  // namespace
}  // namespace seatgate::redis::testing
