// The waiting room: the queue-pass check inside reserve_seats (passes made by
// hand), then the waiting-room scripts themselves (join, position, leave,
// admit, delete_pass, and the user-slot claims).
#include <chrono>
#include <map>
#include <set>
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

// --- the waiting-room scripts ------------------------------------------------

std::string str_of(const redisReply* r) {
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  if (r->type == REDIS_REPLY_NIL) return "";
  return std::string(r->str, r->len);
}

// A script reply as strings, element by element ({"OK", "waiting", "3", ...}).
std::vector<std::string> flat(const reply_ptr& r) {
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error(str_of(r.get()));
  std::vector<std::string> out;
  for (size_t i = 0; i < r->elements; ++i) out.push_back(str_of(r->element[i]));
  return out;
}

class WaitingRoom : public LuaTest {
 protected:
  void SetUp() override {
    LuaTest::SetUp();
    room("e1");
  }
  void room(const std::string& ev, long long capacity = 3, long long admit_per_s = 1000,
            long long pass_ttl_s = 300, long long max_queues = 2) {
    event_config cfg;
    cfg.waiting_room = room_on(capacity, admit_per_s, pass_ttl_s, max_queues);
    make_event(ev, cfg);
  }
  std::string P(const std::string& ev = "e1") { return prefix(ev); }
  std::vector<std::string> join(const std::string& user, const std::string& gen = "1",
                                const std::string& ev = "e1") {
    return flat(c->evalsha(store::join_queue(ev, user, gen)));
  }
  std::vector<std::string> position(const std::string& user, const std::string& ev = "e1") {
    return flat(c->evalsha(store::queue_position(ev, user)));
  }
  std::vector<std::string> leave(const std::string& user, const std::string& gen = "",
                                 store::leave_mode mode = store::leave_mode::leave,
                                 const std::string& ev = "e1") {
    return flat(c->evalsha(store::leave_queue(ev, user, gen, mode)));
  }
  // Admits with `n` fresh tokens t<k>; returns {"OK", admitted, more, users...}.
  std::vector<std::string> admit(int n, const std::string& ev = "e1") {
    std::vector<std::string> tokens;
    for (int i = 0; i < n; ++i) tokens.push_back("t" + std::to_string(next_token_++));
    return flat(c->evalsha(store::admit_queue(ev, std::move(tokens))));
  }
  std::vector<std::string> delete_pass(const std::string& token, const std::string& ev = "e1") {
    return flat(c->evalsha(store::delete_pass(ev, token)));
  }
  std::vector<std::string> claim(const std::string& user, const std::string& ev,
                                 const std::string& limit = "2",
                                 const std::string& grace_ms = "2000") {
    using store::number;
    return flat(c->evalsha(
        store::claim_queue_slot(user, ev, number::verbatim(limit), number::verbatim(grace_ms))));
  }
  std::vector<std::string> release(const std::string& user, const std::string& ev,
                                   const std::string& gen) {
    return flat(c->evalsha(store::release_queue_slot(user, ev, gen)));
  }
  long long zcard(const std::string& key) { return c->command({"ZCARD", key})->integer; }
  bool reserve_ok(const std::string& user, const std::string& token) {
    auto r = c->reserve("e1", "e1.r-" + user, user, "floor", "1", "k-" + user, "fp", token);
    EXPECT_TRUE(r.ok) << r.code;
    return r.ok;
  }
  std::string token_of(const std::string& user) {
    auto r = c->command({"GET", P() + "qp:" + user});
    return str_of(r.get());
  }
  int next_token_ = 0;
};

TEST_F(WaitingRoom, JoinIsIdempotentAndKeepsTheFirstPlace) {
  EXPECT_EQ(join("a"), (std::vector<std::string>{"OK", "waiting", "1", "1000", "1"}));
  EXPECT_EQ(join("b")[2], "2");
  EXPECT_EQ(join("c")[2], "3");
  EXPECT_EQ(join("a"), (std::vector<std::string>{"OK", "waiting", "1", "1000", "0"}));
  EXPECT_EQ(position("b"), (std::vector<std::string>{"OK", "waiting", "2", "1000"}));
  EXPECT_EQ(position("z"), (std::vector<std::string>{"OK", "not_joined", "2"}));
  EXPECT_EQ(leave("a"), (std::vector<std::string>{"OK", "left", "1", "0"}));
  EXPECT_EQ(leave("a"), (std::vector<std::string>{"OK", "left", "0", "0"}));
  EXPECT_EQ(position("b")[2], "1");
  EXPECT_EQ(join("a")[2], "3") << "a rejoin goes to the back";
}

TEST_F(WaitingRoom, RoomOffOrUnknownEvent) {
  make_event("off");
  EXPECT_EQ(join("a", "1", "off"), (std::vector<std::string>{"OK", "not_required"}));
  EXPECT_EQ(position("a", "off"), (std::vector<std::string>{"OK", "not_required"}));
  EXPECT_EQ(join("a", "1", "nope"), (std::vector<std::string>{"ERR", "event_not_found", "0"}));
  EXPECT_EQ(position("a", "nope")[1], "event_not_found");
  EXPECT_EQ(leave("a", "", store::leave_mode::leave, "nope")[1], "event_not_found");
  EXPECT_EQ(admit(4, "off"), (std::vector<std::string>{"OK", "0", "0"}));
  EXPECT_EQ(admit(4, "nope"), (std::vector<std::string>{"OK", "0", "0"}));
}

TEST_F(WaitingRoom, AdmitsInOrderUpToCapacity) {
  for (auto u : {"u0", "u1", "u2", "u3", "u4"}) join(u);
  auto r = admit(2);  // fewer tokens than admissible: says how many more
  EXPECT_EQ(r, (std::vector<std::string>{"OK", "2", "1", "u0", "u1"}));
  r = admit(10);
  EXPECT_EQ(r, (std::vector<std::string>{"OK", "1", "0", "u2"}));
  EXPECT_EQ(admit(10), (std::vector<std::string>{"OK", "0", "0"})) << "capacity 3 reached";
  EXPECT_EQ(zcard(P() + "passes"), 3);
  EXPECT_EQ(zcard(P() + "q"), 2);
  auto p = position("u0");
  ASSERT_EQ(p[1], "admitted");
  EXPECT_EQ(p[2], "t0");
  auto pass = P() + "pass:t0";
  EXPECT_EQ(c->hget(pass, "user"), "u0");
  EXPECT_EQ(c->hget(pass, "used"), "0");
  auto ttl = c->command({"PTTL", pass})->integer;
  EXPECT_GT(ttl, 299000);
  EXPECT_NEAR(std::stoll(p[3]) - c->now_ms(), 300000, 2000);
  EXPECT_EQ(position("u3")[2], "1");
  // Joining again while admitted answers the same pass.
  EXPECT_EQ(join("u0"), (std::vector<std::string>{"OK", "admitted", "t0", p[3]}));
  // The admitted users count in the audit; the waiting ones too.
  auto a = c->audit("e1").json()["waiting_room"];
  EXPECT_EQ(a["waiting"], 2);
  EXPECT_EQ(a["live_passes"], 3);
  EXPECT_EQ(a["capacity"], 3);
}

TEST_F(WaitingRoom, ADeletedPassFreesItsSlotForTheNext) {
  for (auto u : {"u0", "u1", "u2", "u3"}) join(u);
  admit(10);
  ASSERT_TRUE(reserve_ok("u0", token_of("u0")));
  EXPECT_EQ(delete_pass("t0"), (std::vector<std::string>{"OK", "1"}));
  EXPECT_EQ(c->command({"EXISTS", P() + "pass:t0"})->integer, 0);
  EXPECT_EQ(c->command({"EXISTS", P() + "qp:u0"})->integer, 0);
  EXPECT_EQ(zcard(P() + "passes"), 2);
  EXPECT_EQ(delete_pass("t0"), (std::vector<std::string>{"OK", "0"})) << "a retry is harmless";
  EXPECT_EQ(admit(10)[3], "u3");
  EXPECT_EQ(position("u0")[1], "not_joined") << "a used pass is not offered again";
}

TEST_F(WaitingRoom, OnlyAUsedPassIsDeleted) {
  join("u0");
  admit(1);
  EXPECT_EQ(delete_pass("t0"), (std::vector<std::string>{"OK", "0"}));
  EXPECT_EQ(c->hget(P() + "pass:t0", "user"), "u0");
  EXPECT_EQ(zcard(P() + "passes"), 1);
  EXPECT_EQ(delete_pass("never-issued"), (std::vector<std::string>{"OK", "0"}));
}

TEST_F(WaitingRoom, AnExpiredPassFreesItsSlot) {
  room("e1", /*capacity=*/1);
  join("u0");
  join("u1");
  EXPECT_EQ(admit(5)[3], "u0");
  EXPECT_EQ(admit(5)[1], "0");
  // Expire u0's pass now (its score and its key).
  c->command({"ZADD", P() + "passes", "XX", std::to_string(c->now_ms() - 1), "t0"});
  c->command({"PEXPIRE", P() + "pass:t0", "1"});
  auto r = admit(5);
  EXPECT_EQ(r, (std::vector<std::string>{"OK", "1", "0", "u1"}));
  EXPECT_EQ(zcard(P() + "passes"), 1);
  // A pass whose score is due is pruned even if its key were still there.
  auto t1 = token_of("u1");
  ASSERT_FALSE(t1.empty());
  EXPECT_EQ(c->command({"ZADD", P() + "passes", "XX", "CH", std::to_string(c->now_ms() - 1), t1})
                ->integer,
            1);
  join("u2");
  EXPECT_EQ(admit(5), (std::vector<std::string>{"OK", "1", "0", "u2"}));
  EXPECT_EQ(c->command({"EXISTS", P() + "pass:" + t1})->integer, 0);
  EXPECT_EQ(c->reserve("e1", "e1.x", "u1", "floor", "1", "k", "fp", t1).code, "queue_pass_invalid");
}

TEST_F(WaitingRoom, AtMostAdmitPerSecondAcrossCalls) {
  room("e1", /*capacity=*/1000, /*admit_per_s=*/5);
  for (int i = 0; i < 40; ++i) join("u" + std::to_string(i));
  long long total = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2300);
  while (std::chrono::steady_clock::now() < until) {
    total += std::stoll(admit(50)[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Each pass's score is its admission time (Redis ms) + pass_ttl_s.
  std::map<long long, long long> per_second;
  auto passes = c->command({"ZRANGE", P() + "passes", "0", "-1", "WITHSCORES"});
  for (size_t i = 1; i < passes->elements; i += 2)
    ++per_second[(std::stoll(str_of(passes->element[i])) - 300000) / 1000];
  for (auto [sec, n] : per_second) EXPECT_LE(n, 5) << "second " << sec;
  EXPECT_EQ(static_cast<long long>(passes->elements / 2), total);
  EXPECT_GE(total, 10);  // 2.3 s span at least two whole seconds' worth
  EXPECT_LE(total, 20);  // and touch at most four seconds
  // Admitted in join order: the first `total` users.
  EXPECT_EQ(position("u0")[1], "admitted");
  EXPECT_EQ(position("u" + std::to_string(total - 1))[1], "admitted");
  EXPECT_EQ(position("u" + std::to_string(total))[2], "1");
}

TEST_F(WaitingRoom, LeavingGivesAnUnusedPassBack) {
  join("u0");
  admit(1);
  EXPECT_EQ(leave("u0"), (std::vector<std::string>{"OK", "left", "0", "1"}));
  EXPECT_EQ(zcard(P() + "passes"), 0);
  EXPECT_EQ(c->command({"EXISTS", P() + "pass:t0"})->integer, 0);
  EXPECT_EQ(position("u0")[1], "not_joined");
}

TEST_F(WaitingRoom, ClaimsEnforceTheLimitOnTheUsersSlot) {
  auto a = claim("alice", "e1");
  ASSERT_EQ(a[0], "OK");
  auto b = claim("alice", "e2");
  ASSERT_EQ(b[0], "OK");
  EXPECT_GT(std::stoll(b[2]), std::stoll(a[2]));
  EXPECT_EQ(claim("alice", "e3"), (std::vector<std::string>{"FULL", "0"}))
      << "both claims are young";
  auto full = claim("alice", "e3", "2", "0");
  ASSERT_EQ(full.size(), 6u);
  EXPECT_EQ(full[1], "2");
  EXPECT_EQ(full[2], "e1");
  EXPECT_EQ(full[3], a[2]);
  // Claiming a room already claimed renews it (a new generation).
  auto a2 = claim("alice", "e1");
  ASSERT_EQ(a2[0], "OK");
  EXPECT_GT(std::stoll(a2[2]), std::stoll(b[2]));
  EXPECT_EQ(release("alice", "e1", a[2]), (std::vector<std::string>{"OK", "0"}))
      << "an older claim";
  EXPECT_EQ(release("alice", "e1", a2[2]), (std::vector<std::string>{"OK", "1"}));
  EXPECT_EQ(claim("alice", "e3")[0], "OK");
  EXPECT_EQ(claim("bob", "e3")[0], "OK") << "per user";
  EXPECT_EQ(claim("alice", "e4", "3")[0], "OK") << "the limit is the joined event's";
}

TEST_F(WaitingRoom, ARevokedClaimCannotJoin) {
  auto g = claim("alice", "e1")[2];
  EXPECT_EQ(leave("alice", g, store::leave_mode::if_idle),
            (std::vector<std::string>{"OK", "idle"}));
  EXPECT_EQ(join("alice", g), (std::vector<std::string>{"ERR", "claim_revoked", "0"}));
  EXPECT_EQ(zcard(P() + "q"), 0);
  auto g2 = claim("alice", "e1")[2];
  EXPECT_EQ(join("alice", g2)[1], "waiting");
  EXPECT_EQ(leave("alice", g2, store::leave_mode::if_idle),
            (std::vector<std::string>{"OK", "waiting"}));
  EXPECT_EQ(position("alice")[1], "waiting") << "a waiting user's claim is not revoked";
}

TEST_F(WaitingRoom, TenThousandJoinAndAreAdmittedOnceInOrder) {
  room("e1", /*capacity=*/100, /*admit_per_s=*/100000);
  const int n = 10000;
  for (int i = 0; i < n; ++i) join("u" + std::to_string(i));
  EXPECT_EQ(zcard(P() + "q"), n);
  std::set<std::string> admitted;
  int next = 0;  // the next user in join order
  while (next < n) {
    auto r = admit(300);
    ASSERT_LE(zcard(P() + "passes"), 100);
    for (size_t i = 3; i < r.size(); ++i) {
      EXPECT_EQ(r[i], "u" + std::to_string(next)) << "join order";
      EXPECT_TRUE(admitted.insert(r[i]).second) << "admitted twice: " << r[i];
      ++next;
    }
    // Consume every live pass: reserve marks it used, delete_pass frees it.
    auto live = c->command({"ZRANGE", P() + "passes", "0", "-1"});
    for (size_t i = 0; i < live->elements; ++i) {
      std::string tok = str_of(live->element[i]);
      c->command({"HSET", P() + "pass:" + tok, "used", "1"});
      ASSERT_EQ(delete_pass(tok)[1], "1");
    }
  }
  EXPECT_EQ(zcard(P() + "q"), 0);
  EXPECT_EQ(zcard(P() + "passes"), 0);
}

}  // namespace
}  // namespace seatgate::test
