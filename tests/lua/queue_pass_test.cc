// The waiting room's queue-pass check inside reserve_seats (passes made by
// hand); the waiting-room scripts are in waiting_room_test.cc.
#include <chrono>
#include <thread>

#include "lua_fixture.h"

namespace seatgate::test {
namespace {

class QueuePass : public LuaTest {
 protected:
  void SetUp() override {
    LuaTest::SetUp();
    event_config cfg;
    cfg.waiting_room = room_on();
    make_event("e1", cfg);
  }
  void make_pass(const std::string& token, const std::string& user, const std::string& used = "0",
                 const std::string& ttl_ms = "300000") {
    auto k = prefix("e1") + "pass:" + token;
    c->command({"HSET", k, "user", user, "used", used});
    c->command({"PEXPIRE", k, ttl_ms});
  }
  script_reply reserve(const std::string& rid, const std::string& user, const std::string& pass,
                       const std::string& key = "k") {
    return c->reserve("e1", rid, user, "floor", "1", key, "fp", pass);
  }
};

TEST_F(QueuePass, RequiredWhenTheRoomIsOn) {
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "wr_enabled"), "1");
  auto r = reserve("e1.a", "alice", "");
  EXPECT_EQ(r.code, "queue_pass_required");
  EXPECT_EQ(r.retry_after_s, 0);
}

TEST_F(QueuePass, InvalidPasses) {
  make_pass("bobs", "bob");
  make_pass("spent", "alice", "1");
  EXPECT_EQ(reserve("e1.a", "alice", "unknown").code, "queue_pass_invalid");
  EXPECT_EQ(reserve("e1.a", "alice", "bobs").code, "queue_pass_invalid");
  EXPECT_EQ(reserve("e1.a", "alice", "spent").code, "queue_pass_invalid");
  // A pass of another event is not under this event's prefix.
  c->command({"HSET", prefix("e2") + "pass:other", "user", "alice", "used", "0"});
  EXPECT_EQ(reserve("e1.a", "alice", "other").code, "queue_pass_invalid");
  EXPECT_EQ(zone("e1").held, 0);
  EXPECT_EQ(c->hget(prefix("e1") + "pass:bobs", "used"), "0");
}

TEST_F(QueuePass, ExpiredPassIsInvalid) {
  make_pass("short", "alice", "0", "20");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(reserve("e1.a", "alice", "short").code, "queue_pass_invalid");
}

TEST_F(QueuePass, GoodForOneReservation) {
  make_pass("tok", "alice");
  auto r = reserve("e1.a", "alice", "tok");
  ASSERT_TRUE(r.ok) << r.code;
  auto k = prefix("e1") + "pass:tok";
  EXPECT_EQ(c->hget(k, "used"), "1");
  EXPECT_GT(c->command({"PTTL", k})->integer, 0);  // the TTL is kept
  // A retry of the same request replays without needing the pass again.
  auto again = reserve("e1.b", "alice", "tok");
  ASSERT_TRUE(again.ok) << again.code;
  EXPECT_EQ(again.replayed, 1);
  // A new request cannot reuse it.
  EXPECT_EQ(reserve("e1.c", "alice", "tok", "k2").code, "queue_pass_invalid");
  EXPECT_EQ(zone("e1").held, 1);
}

TEST_F(QueuePass, AFailedReservationKeepsThePass) {
  make_pass("tok", "alice");
  auto r = c->reserve("e1", "e1.a", "alice", "floor", "11", "k", "fp", "tok");
  EXPECT_EQ(r.code, "invalid_quantity");
  c->command({"HSET", prefix("e1") + "ev", "z:floor:available", "0", "z:floor:sold", "10"});
  EXPECT_EQ(reserve("e1.a", "alice", "tok").code, "sold_out");
  EXPECT_EQ(c->hget(prefix("e1") + "pass:tok", "used"), "0");
}

TEST_F(QueuePass, NotCheckedWhenTheRoomIsOff) {
  ASSERT_TRUE(c->upsert("e1", event_config{}).ok);
  EXPECT_EQ(c->hget(prefix("e1") + "ev", "wr_enabled"), "0");
  EXPECT_TRUE(reserve("e1.a", "alice", "").ok);
  EXPECT_TRUE(reserve("e1.b", "bob", "whatever", "kb").ok);
}

TEST_F(QueuePass, WithoutTheFastFlagTheJsonDecides) {
  // Hashes written before `wr_enabled` existed carry only `wr`.
  c->command({"HDEL", prefix("e1") + "ev", "wr_enabled"});
  EXPECT_EQ(reserve("e1.a", "alice", "").code, "queue_pass_required");
  c->command({"HSET", prefix("e1") + "ev", "wr", R"({"capacity":5,"enabled":false})"});
  EXPECT_TRUE(reserve("e1.a", "alice", "").ok);
}

}  // namespace
}  // namespace seatgate::test
