// A CLUSTER SLOTS reply -> the slot map, and what MOVED does to it.
#include "redis/cluster/slot_map.h"

#include <gtest/gtest.h>

namespace seatgate::redis::cluster {
namespace {

reply integer(long long v) {
  reply r;
  r.type = reply::kind::integer;
  r.integer = v;
  return r;
}
reply text(std::string s) {
  reply r;
  r.type = reply::kind::string;
  r.str = std::move(s);
  return r;
}
reply array(std::vector<reply> e) {
  reply r;
  r.type = reply::kind::array;
  r.elements = std::move(e);
  return r;
}
reply node_entry(std::string host, long long port) {
  return array({text(std::move(host)), integer(port), text("0123456789abcdef")});
}

reply three_masters() {
  return array({
      array({integer(0), integer(5460), node_entry("127.0.0.1", 7000),
             node_entry("127.0.0.1", 7004)}),
      array({integer(5461), integer(10922), node_entry("127.0.0.1", 7001),
             node_entry("127.0.0.1", 7005)}),
      array({integer(10923), integer(16383), node_entry("127.0.0.1", 7002)}),
  });
}

TEST(ClusterSlotMap, ParsesMastersAndReplicas) {
  std::string why;
  auto m = slot_map::parse(three_masters(), "seed", &why);
  ASSERT_TRUE(m) << why;
  EXPECT_TRUE(m->complete());
  EXPECT_EQ(m->uncovered(), "");
  ASSERT_EQ(m->shards().size(), 3u);
  EXPECT_EQ(m->owner(0)->master, (node_address{"127.0.0.1", 7000}));
  EXPECT_EQ(m->owner(5460)->master.port, 7000);
  EXPECT_EQ(m->owner(5461)->master.port, 7001);
  EXPECT_EQ(m->owner(16383)->master.port, 7002);
  ASSERT_EQ(m->owner(0)->replicas.size(), 1u);
  EXPECT_EQ(m->owner(0)->replicas[0].port, 7004);
  EXPECT_TRUE(m->owner(16383)->replicas.empty());
  EXPECT_EQ(m->owner(-1), nullptr);
  EXPECT_EQ(m->owner(16384), nullptr);
}

TEST(ClusterSlotMap, SeveralRangesOfOneMasterAreOneShard) {
  auto m = slot_map::parse(array({
                               array({integer(0), integer(99), node_entry("a", 1)}),
                               array({integer(100), integer(16383), node_entry("b", 2)}),
                               array({integer(200), integer(300), node_entry("a", 1)}),
                           }),
                           "seed");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->shards().size(), 2u);
  EXPECT_EQ(m->owner(250)->master.host, "a");
  EXPECT_EQ(m->owner(301)->master.host, "b");
}

TEST(ClusterSlotMap, UncoveredSlotsAreNamed) {
  auto m = slot_map::parse(array({array({integer(0), integer(99), node_entry("a", 1)}),
                                  array({integer(101), integer(16000), node_entry("a", 1)})}),
                           "seed");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->complete());
  EXPECT_EQ(m->owner(100), nullptr);
  EXPECT_EQ(m->uncovered(), "slots 100,16001-16383 are not served");
  auto empty = slot_map::parse(array({}), "seed");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->uncovered(), "slots 0-16383 are not served");
}

TEST(ClusterSlotMap, EmptyHostIsTheNodeAsked) {
  auto m = slot_map::parse(array({array({integer(0), integer(16383), node_entry("", 7000)})}),
                           "10.0.0.5");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->owner(42)->master, (node_address{"10.0.0.5", 7000}));
}

TEST(ClusterSlotMap, BadShapesAreRefusedWithAReason) {
  std::string why;
  reply err;
  err.type = reply::kind::error;
  err.str = "ERR This instance has cluster support disabled";
  EXPECT_FALSE(slot_map::parse(err, "seed", &why));
  EXPECT_NE(why.find("cluster support disabled"), std::string::npos);
  EXPECT_FALSE(slot_map::parse(text("x"), "seed", &why));
  EXPECT_FALSE(
      slot_map::parse(array({array({integer(5), integer(2), node_entry("a", 1)})}), "s", &why));
  EXPECT_FALSE(
      slot_map::parse(array({array({integer(0), integer(16384), node_entry("a", 1)})}), "s", &why));
  EXPECT_FALSE(
      slot_map::parse(array({array({integer(0), integer(1), node_entry("a", 0)})}), "s", &why));
  EXPECT_FALSE(slot_map::parse(array({array({integer(0), integer(1)})}), "s", &why));
  EXPECT_NE(why.find("CLUSTER SLOTS"), std::string::npos);
}

TEST(ClusterSlotMap, AssignMovesOneSlot) {
  auto m = slot_map::parse(three_masters(), "seed");
  ASSERT_TRUE(m);
  m->assign(42, {"127.0.0.1", 7001});
  EXPECT_EQ(m->owner(42)->master.port, 7001);
  EXPECT_EQ(m->owner(41)->master.port, 7000);
  m->assign(43, {"127.0.0.1", 7009});  // a master the map did not know
  EXPECT_EQ(m->owner(43)->master.port, 7009);
  EXPECT_TRUE(m->owner(43)->replicas.empty());
  EXPECT_EQ(m->shards().size(), 4u);
  slot_map none;
  none.assign(7, {"h", 1});
  EXPECT_EQ(none.owner(7)->master.host, "h");
  EXPECT_FALSE(none.complete());
}

TEST(ClusterSlotMap, Addresses) {
  EXPECT_EQ(parse_address("127.0.0.1:7000"), (node_address{"127.0.0.1", 7000}));
  EXPECT_EQ(parse_address("::1:7000"), (node_address{"::1", 7000}));
  EXPECT_EQ(parse_address("h:7000@17000"), (node_address{"h", 7000}));
  EXPECT_EQ(parse_address(":7000"), (node_address{"", 7000}));
  EXPECT_FALSE(parse_address("h"));
  EXPECT_FALSE(parse_address("h:0"));
  EXPECT_FALSE(parse_address("h:x"));
  EXPECT_FALSE(parse_address("h:70000"));
}

}  // namespace
}  // namespace seatgate::redis::cluster
