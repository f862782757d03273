// upsert_event, set_event_status, read_event and read_audit.
#include "lua_fixture.h"

namespace seatgate::test {
namespace {

using UpsertEvent = LuaTest;
using SetEventStatus = LuaTest;
using ReadEvent = LuaTest;
using ReadAudit = LuaTest;

event_config two_zones(long long floor, long long balcony) {
  event_config cfg;
  cfg.zones = {{"floor", floor, 4500, "Floor"}, {"balcony", balcony, 3000, "Balcony"}};
  return cfg;
}

TEST_F(UpsertEvent, CreatesThenUpdates) {
  auto r = c->upsert("e1", two_zones(10, 5));
  ASSERT_TRUE(r.ok) << r.code;
  EXPECT_EQ(r.text, "created");
  auto p = prefix("e1");
  EXPECT_EQ(c->hget(p + "ev", "zones"), "floor,balcony");
  EXPECT_EQ(c->hget(p + "ev", "wr"), R"({"enabled":false})");
  EXPECT_EQ(c->hget(p + "ev", "wr_enabled"), "0");
  EXPECT_EQ(c->hget(p + "ev", "hold_ttl_s"), "600");
  auto created_at = c->hget(p + "ev", "created_at");
  EXPECT_FALSE(created_at.empty());
  auto z = zone("e1", "balcony");
  EXPECT_EQ(z.capacity, 5);
  EXPECT_EQ(z.available, 5);
  EXPECT_EQ(z.held, 0);
  EXPECT_EQ(z.sold, 0);
  EXPECT_EQ(c->hget(p + "ev", "z:balcony:price"), "3000");
  r = c->upsert("e1", two_zones(10, 5));
  EXPECT_EQ(r.text, "updated");
  EXPECT_EQ(c->hget(p + "ev", "created_at"), created_at);
}

TEST_F(UpsertEvent, CapacityGrowsAndShrinksAroundLiveCounters) {
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 3);
  hold("e1", "e1.b", "bob", 2);
  ASSERT_TRUE(c->confirm("e1", "e1.b", "bob", "k", "fp").ok);
  ASSERT_TRUE(c->upsert("e1", two_zones(20, 5)).ok);
  auto z = zone("e1");
  EXPECT_EQ(z.capacity, 20);
  EXPECT_EQ(z.available, 15);
  EXPECT_EQ(z.held, 3);
  EXPECT_EQ(z.sold, 2);
  ASSERT_TRUE(c->upsert("e1", two_zones(5, 5)).ok);  // exactly held + sold
  z = zone("e1");
  EXPECT_EQ(z.available, 0);
  EXPECT_EQ(z.capacity, 5);
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(UpsertEvent, BelowCommittedChangesNothing) {
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 4, "balcony");
  // The first zone is fine, the second is not: neither may change.
  auto cfg = two_zones(50, 3);
  cfg.name = "x";
  cfg.status = "paused";
  auto r = c->upsert("e1", cfg);
  EXPECT_EQ(r.code, "capacity_below_committed");
  EXPECT_EQ(r.retry_after_s, 0);
  EXPECT_EQ(zone("e1").capacity, 10);
  EXPECT_EQ(zone("e1", "balcony").capacity, 5);
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "status"), "on_sale");
}

TEST_F(UpsertEvent, ZonesAreAddedAndRemovedOnlyWhenEmpty) {
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 1, "balcony");
  event_config only_floor;
  only_floor.zones = {{"floor", 10}};
  EXPECT_EQ(c->upsert("e1", only_floor).code, "capacity_below_committed");
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "zones"), "floor,balcony");
  ASSERT_TRUE(c->release("e1", "e1.a", "alice").ok);

  event_config swapped;
  swapped.zones = {{"vip", 2}, {"floor", 10}};
  ASSERT_TRUE(c->upsert("e1", swapped).ok);
  auto p = prefix("e1");
  EXPECT_EQ(c->hget(p + "ev", "zones"), "vip,floor");
  EXPECT_EQ(c->command({"HEXISTS", p + "ev", "z:balcony:capacity"})->integer, 0);
  EXPECT_EQ(zone("e1", "vip").available, 2);
  EXPECT_EQ(c->reserve("e1", "e1.b", "bob", "balcony", "1", "k", "fp").code, "zone_not_found");
  EXPECT_TRUE(audit_consistent("e1"));
}

TEST_F(UpsertEvent, PriceChangesApplyToNewReservationsOnly) {
  make_event("e1");
  auto before = hold("e1", "e1.a", "alice", 2);
  event_config cfg;
  cfg.zones = {{"floor", 10, 9900}};
  ASSERT_TRUE(c->upsert("e1", cfg).ok);
  EXPECT_EQ(c->read("e1", "e1.a", "alice").reservation["amount"], before["amount"]);
  EXPECT_EQ(hold("e1", "e1.b", "bob", 2)["amount"], "19800");
}

TEST_F(UpsertEvent, RejectsWhatTheServerShouldHaveRejected) {
  EXPECT_EQ(c->upsert_raw("e1", "{not json").code, "invalid_request");
  EXPECT_EQ(c->upsert_raw("e1", R"({"name":"x"})").code, "invalid_request");
  event_config dup;
  dup.zones = {{"floor", 1}, {"floor", 2}};
  EXPECT_EQ(c->upsert("e1", dup).code, "invalid_request");
  event_config bad;
  bad.zones = {{"a,b", 1}};
  EXPECT_EQ(c->upsert("e1", bad).code, "invalid_request");
  bad.zones = {{"floor", -1}};
  EXPECT_EQ(c->upsert("e1", bad).code, "invalid_request");
  EXPECT_EQ(c->command({"EXISTS", prefix("e1") + "ev"})->integer, 0);
}

TEST_F(SetEventStatus, ChangesStatus) {
  EXPECT_EQ(c->set_status("e1", "paused").code, "event_not_found");
  make_event("e1");
  auto r = c->set_status("e1", "paused");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.text, "paused");
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "status"), "paused");
  EXPECT_EQ(c->set_status("e1", "sold").code, "invalid_request");
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "status"), "paused");
}

TEST_F(ReadEvent, PublicShapeWithLiveAvailability) {
  EXPECT_EQ(c->read_event("e1").code, "event_not_found");
  auto cfg = two_zones(10, 5);
  cfg.hold_ttl_s = 300;
  cfg.waiting_room = room_on();
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 3);
  ASSERT_TRUE(c->upsert("e1", cfg).ok);  // turning the room on keeps the holds
  auto r = c->read_event("e1");
  ASSERT_TRUE(r.ok);
  auto j = r.json();
  EXPECT_EQ(j["id"], "e1");
  EXPECT_EQ(j["name"], "Summer Arena");
  EXPECT_EQ(j["currency"], "EUR");
  EXPECT_EQ(j["status"], "on_sale");
  EXPECT_EQ(j["hold_ttl_s"], 300);
  EXPECT_EQ(j["max_per_order"], 10);
  EXPECT_EQ(j["max_per_user"], 10);
  EXPECT_EQ(j["waiting_room"], cfg.waiting_room);
  ASSERT_TRUE(j["zones"].is_array());
  ASSERT_EQ(j["zones"].size(), 2u);
  EXPECT_EQ(j["zones"][0], (nlohmann::json{{"id", "floor"},
                                           {"name", "Floor"},
                                           {"capacity", 10},
                                           {"price", 4500},
                                           {"available", 7}}));
  EXPECT_EQ(j["zones"][1]["id"], "balcony");
}

TEST_F(ReadEvent, NoZonesIsAnEmptyArray) {
  event_config cfg;
  cfg.zones = {};
  cfg.name = "a \"quoted\" / name";
  make_event("e1", cfg);
  auto j = c->read_event("e1").json();
  EXPECT_TRUE(j["zones"].is_array());
  EXPECT_TRUE(j["zones"].empty());
  EXPECT_EQ(j["name"], cfg.name);
  EXPECT_EQ(j["waiting_room"], (nlohmann::json{{"enabled", false}}));
  auto a = c->audit("e1").json();
  EXPECT_TRUE(a["zones"].is_array());
  EXPECT_TRUE(a["consistent"].get<bool>());
}

TEST_F(ReadAudit, CountsEveryStatus) {
  EXPECT_EQ(c->audit("e1").code, "event_not_found");
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 2);
  hold("e1", "e1.b", "bob", 3);
  hold("e1", "e1.c", "carol", 1, "balcony");
  hold("e1", "e1.d", "dave", 1);
  ASSERT_TRUE(c->confirm("e1", "e1.b", "bob", "k", "fp").ok);
  ASSERT_TRUE(c->release("e1", "e1.c", "carol").ok);
  c->make_due("e1", "e1.d");
  ASSERT_EQ(c->expire("e1").n, 1);
  auto r = c->audit("e1");
  ASSERT_TRUE(r.ok);
  auto j = r.json();
  EXPECT_EQ(j["event_id"], "e1");
  EXPECT_TRUE(j["consistent"].get<bool>());
  EXPECT_FALSE(j.contains("waiting_room"));
  EXPECT_EQ(j["reservations"],
            (nlohmann::json{{"held", 1}, {"confirmed", 1}, {"released", 1}, {"expired", 1}}));
  ASSERT_EQ(j["zones"].size(), 2u);
  EXPECT_EQ(j["zones"][0], (nlohmann::json{{"id", "floor"},
                                           {"capacity", 10},
                                           {"available", 5},
                                           {"held", 2},
                                           {"sold", 3},
                                           {"consistent", true}}));
  EXPECT_EQ(j["zones"][1]["available"], 5);
}

TEST_F(ReadAudit, DetectsBrokenCounters) {
  make_event("e1", two_zones(10, 5));
  hold("e1", "e1.a", "alice", 2);
  auto p = prefix("e1");
  // available + held + sold != capacity
  c->command({"HINCRBY", p + "ev", "z:floor:available", "1"});
  auto j = c->audit("e1").json();
  EXPECT_FALSE(j["consistent"].get<bool>());
  EXPECT_FALSE(j["zones"][0]["consistent"].get<bool>());
  EXPECT_TRUE(j["zones"][1]["consistent"].get<bool>());
  // Sums add up, but `held` disagrees with the held reservations.
  c->command({"HINCRBY", p + "ev", "z:floor:available", "-2"});
  c->command({"HINCRBY", p + "ev", "z:floor:held", "1"});
  j = c->audit("e1").json();
  EXPECT_FALSE(j["zones"][0]["consistent"].get<bool>());
  c->command({"HINCRBY", p + "ev", "z:floor:available", "1"});
  c->command({"HINCRBY", p + "ev", "z:floor:held", "-1"});
  EXPECT_TRUE(audit_consistent("e1"));
  // The held count disagrees with the holds.
  c->command({"HINCRBY", p + "ev", "n:held", "1"});
  EXPECT_FALSE(audit_consistent("e1"));
}

TEST_F(ReadAudit, WaitingRoomFigures) {
  event_config cfg;
  cfg.waiting_room = room_on();
  make_event("e1", cfg);
  auto p = prefix("e1");
  long long now = c->now_ms();
  c->command({"ZADD", p + "q", "1", "u1", "2", "u2", "3", "u3"});
  c->command({"ZADD", p + "passes", std::to_string(now + 60000), "t1", std::to_string(now + 60000),
              "t2", std::to_string(now - 1), "t3"});
  auto j = c->audit("e1").json();
  EXPECT_EQ(j["waiting_room"],
            (nlohmann::json{{"waiting", 3}, {"live_passes", 2}, {"capacity", 500}}));
  EXPECT_TRUE(j["consistent"].get<bool>());
}

}  // namespace
}  // namespace seatgate::test
