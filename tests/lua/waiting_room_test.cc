// The waiting-room scripts themselves (join, position, leave, admit,
// delete_pass, and the user-slot claims); the queue-pass check inside
// reserve_seats is in queue_pass_test.cc.
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "lua_fixture.h"
#include "store/room_calls.h"

namespace seatgate::test {
namespace {

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
  // The scripts name a key they were not given ({"PASS", token}, {"OWNER",
  // user}); the call is made again with it, as the server does.
  template <typename Build>
  std::vector<std::string> declaring(const std::string& retry_tag, Build build) {
    std::string named;
    for (int round = 0;; ++round) {
      auto r = flat(c->evalsha(build(named)));
      if (round == 3 || r.empty() || r[0] != retry_tag) return r;
      named = r.at(1);
    }
  }
  std::vector<std::string> join(const std::string& user, const std::string& gen = "1",
                                const std::string& ev = "e1") {
    return declaring(
        "PASS", [&](const std::string& pass) { return store::join_queue(ev, user, gen, pass); });
  }
  std::vector<std::string> position(const std::string& user, const std::string& ev = "e1") {
    return declaring(
        "PASS", [&](const std::string& pass) { return store::queue_position(ev, user, pass); });
  }
  std::vector<std::string> leave(const std::string& user, const std::string& gen = "",
                                 store::leave_mode mode = store::leave_mode::leave,
                                 const std::string& ev = "e1") {
    return declaring("PASS", [&](const std::string& pass) {
      return store::leave_queue(ev, user, gen, mode, pass);
    });
  }
  // One admission step as the server makes it: peek_queue for the due
  // passes and at most `n` users, then admit_queue with a fresh token t<k>
  // for each; returns {"OK", admitted, more, users...}.
  std::vector<std::string> admit(int n, const std::string& ev = "e1") {
    using store::number;
    auto peek = flat(c->evalsha(store::peek_queue(ev, n, 1000)));
    std::vector<std::string> due, users, tokens;
    if (peek.at(0) == "LIVE") {
      const auto n_due = static_cast<size_t>(std::stoll(peek.at(2)));
      due.assign(peek.begin() + 3, peek.begin() + 3 + n_due);
      users.assign(peek.begin() + 3 + n_due, peek.end());
    }
    for (size_t i = 0; i < users.size(); ++i) tokens.push_back("t" + std::to_string(next_token_++));
    return flat(c->evalsha(store::admit_queue(ev, due, users, tokens)));
  }
  std::vector<std::string> delete_pass(const std::string& token, const std::string& ev = "e1") {
    return declaring("OWNER",
                     [&](const std::string& user) { return store::delete_pass(ev, token, user); });
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

// AdmitsInOrderUpToCapacity once admitted only u0 out of three: pacing gave
// ceil(rate * (ms + 1) / 1000) admissions by millisecond ms of the second,
// so a step in the first millisecond or two of a second admitted 1 or 2
// even at 1000 a second. One round's share (rate / 10) is now always there.
TEST_F(WaitingRoom, AStepAtTheStartOfASecondAdmitsARoundsShare) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::string ev = "s" + std::to_string(attempt);
    room(ev);  // capacity 3, 1000 a second
    for (auto u : {"a", "b", "c"}) join(u, "1", ev);
    // Wait (bounded, by Redis time) for a second to begin.
    bool late = false;
    for (int i = 0; i < 200000 && !late; ++i) late = c->now_ms() % 1000 >= 990;
    ASSERT_TRUE(late);
    bool crossed = false;
    for (int i = 0; i < 200000 && !crossed; ++i) crossed = c->now_ms() % 1000 < 500;
    ASSERT_TRUE(crossed);
    EXPECT_EQ(admit(3, ev)[1], "3") << "attempt " << attempt;
  }
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
