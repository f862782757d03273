// The waiting room at scale (docs/waiting-room.md): two seatgate-server
// instances sharing one redis-server never exceed the room's capacity or rate,
// and 10,000 users pass through a room of one hundred. Bulk joins go straight
// through the join script (pipelined) to keep the run fast; a sample of users
// joins and polls over HTTP.
#include "room_client.h"

#include "seatgate/lua_scripts.h"
#include "store/room_calls.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>

namespace seatgate::test {
namespace {

// One kept connection, for loops that would otherwise connect per command.
class redis_conn {
 public:
  explicit redis_conn(const redis_server& r) : ctx_(r.connect()) {}
  reply_ptr command(const std::vector<std::string>& argv) { return send_command(ctx_.get(), argv); }

 private:
  context_ptr ctx_;
};

template <class R>
long long redis_now_ms(R& redis) {
  auto t = redis.command({"TIME"});
  return std::stoll(str_of(t->element[0])) * 1000 + std::stoll(str_of(t->element[1])) / 1000;
}

// Joins users[from..to) through join_queue directly (pipelined), in order,
// with the server's call builder (claim generation 1).
void lua_join(const redis_server& redis, const std::string& event,
              const std::vector<std::string>& users) {
  auto ctx = redis.connect();
  auto src = lua::source(lua::script::join_queue).text;
  reply_ptr sha(
      static_cast<redisReply*>(redisCommand(ctx.get(), "SCRIPT LOAD %b", src.data(), src.size())));
  ASSERT_TRUE(sha && sha->type == REDIS_REPLY_STRING);
  const std::string s = str_of(sha.get());
  for (size_t from = 0; from < users.size(); from += 1000) {
    size_t to = std::min(users.size(), from + 1000);
    for (size_t i = from; i < to; ++i) {
      const auto call = store::join_queue(event, users[i], "1");
      std::vector<std::string> cmd = {"EVALSHA", s, std::to_string(call.keys.size())};
      cmd.insert(cmd.end(), call.keys.begin(), call.keys.end());
      cmd.insert(cmd.end(), call.args.begin(), call.args.end());
      std::vector<const char*> argv;
      std::vector<size_t> lens;
      for (const auto& a : cmd) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      redisAppendCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lens.data());
    }
    for (size_t i = from; i < to; ++i) {
      void* raw = nullptr;
      ASSERT_EQ(redisGetReply(ctx.get(), &raw), REDIS_OK);
      reply_ptr r(static_cast<redisReply*>(raw));
      ASSERT_EQ(r->type, REDIS_REPLY_ARRAY) << str_of(r.get());
      ASSERT_EQ(str_of(r->element[1]), "waiting");
    }
  }
}

// --- two instances ------------------------------------------------------------------

TEST(WaitingRoomHttp, TwoInstancesNeverExceedCapacityOrRate) {
  redis_server redis;
  server_process s1({redis.url(), {}, 2, false}), s2({redis.url(), {}, 2, false});
  room_client c1(s1), c2(s2);
  ASSERT_EQ(c1.put_event("duo", room_event(50, 100000)).status, 201);
  ASSERT_EQ(c2.put_event("slow", room_event(1000, 40)).status, 201);
  std::vector<std::string> users;
  for (int i = 0; i < 400; ++i) users.push_back("u" + std::to_string(i));
  lua_join(redis, "duo", users);
  lua_join(redis, "slow", users);

  long long most = 0;
  auto sample_for = [&](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
      most = std::max(most, integer(redis.command({"ZCARD", P("duo") + "passes"})));
      std::this_thread::sleep_for(1ms);
    }
  };
  sample_for(1500ms);
  EXPECT_LE(most, 50);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("duo") + "passes"})), 50);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("duo") + "q"})), 350);
  // Consume 20 passes through both instances; the slots refill to exactly 50.
  for (int i = 0; i < 20; ++i) {
    auto& c = i % 2 ? c1 : c2;
    auto token = (i % 2 ? s1 : s2).user_token(users[i]);
    auto pass = c.me(token, "duo").js().value("queue_pass", "");
    ASSERT_FALSE(pass.empty()) << users[i] << " was admitted first";
    ASSERT_EQ(c.reserve_with(token, "duo", pass, "k").status, 201);
  }
  sample_for(1000ms);
  EXPECT_LE(most, 50);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("duo") + "passes"})), 50);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("duo") + "q"})), 330);

  // "slow": 40 per second of Redis time, both loops together.
  std::map<long long, int> per_second;
  auto passes = redis.command({"ZRANGE", P("slow") + "passes", "0", "-1", "WITHSCORES"});
  for (size_t i = 1; i < passes->elements; i += 2)
    ++per_second[(std::stoll(str_of(passes->element[i])) - 300000) / 1000];
  ASSERT_GE(per_second.size(), 2u);
  for (auto [sec, n] : per_second) EXPECT_LE(n, 40) << "second " << sec;
}

// --- 10,000 users --------------------------------------------------------------------

TEST(WaitingRoomHttp, TenThousandUsersThroughARoomOfOneHundred) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  const long k_cap = 100, k_rate = 500, k_ttl_ms = 300000;
  ASSERT_EQ(c.put_event("flash", room_event(k_cap, k_rate)).status, 201);
  const int n = 10000, k_http_joins = 20;
  std::vector<std::string> users;
  std::map<std::string, int> index;
  for (int i = 0; i < n; ++i) {
    users.push_back("u" + std::to_string(i));
    index[users.back()] = i;
  }
  for (int i = 0; i < k_http_joins; ++i) {
    auto r = c.join(server.user_token(users[i]), "flash");
    ASSERT_EQ(r.status, 200) << r.body;
    auto st = r.js()["status"];
    EXPECT_TRUE(st == "waiting" || st == "admitted") << r.body;
  }
  lua_join(redis, "flash", std::vector<std::string>(users.begin() + k_http_joins, users.end()));
  // Someone far back sees a position and a bounded poll interval.
  auto far = c.me(server.user_token(users[9000]), "flash").js();
  EXPECT_EQ(far["status"], "waiting");
  EXPECT_GT(far["position"].get<long>(), 8000);
  EXPECT_EQ(far["poll_after_ms"], 5000);

  // Consumers: reserve with each pass as it is seen (every tenth user lets
  // the pass expire instead).
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<std::string, std::string>> work;
  bool done = false;
  std::atomic<int> reserved{0}, failed{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < 6; ++t)
    consumers.emplace_back([&] {
      room_client cc(server);
      for (;;) {
        std::pair<std::string, std::string> job;
        {
          std::unique_lock lk(mu);
          cv.wait(lk, [&] { return done || !work.empty(); });
          if (work.empty()) return;
          job = work.front();
          work.pop_front();
        }
        auto r = cc.reserve_with(server.user_token(job.first), "flash", job.second, "k");
        (r.status == 201 ? reserved : failed)++;
      }
    });

  redis_conn rc(redis);
  std::map<std::string, long long> admitted_at;  // user -> Redis ms of admission
  std::set<std::string> seen;
  int expired = 0, checked_over_http = 0;
  long long most_live = 0, most_audited = 0;
  auto deadline = std::chrono::steady_clock::now() + 120s;
  for (int it = 0;
       static_cast<int>(admitted_at.size()) < n && std::chrono::steady_clock::now() < deadline;
       ++it) {
    most_live = std::max(most_live, integer(rc.command({"ZCARD", P("flash") + "passes"})));
    if (it % 50 == 0) {
      auto a = c.audit("flash").js()["waiting_room"];
      most_audited = std::max(most_audited, a["live_passes"].get<long long>());
      EXPECT_EQ(a["capacity"], k_cap);
    }
    auto live = rc.command({"ZRANGE", P("flash") + "passes", "0", "-1", "WITHSCORES"});
    std::vector<std::pair<std::string, std::string>> fresh;
    for (size_t i = 0; i + 1 < live->elements; i += 2) {
      std::string tok = str_of(live->element[i]);
      if (!seen.insert(tok).second) continue;
      std::string user = text(rc.command({"HGET", P("flash") + "pass:" + tok, "user"}));
      ASSERT_FALSE(user.empty()) << "a pass vanished before use: " << tok;
      ASSERT_TRUE(
          admitted_at.emplace(user, std::stoll(str_of(live->element[i + 1])) - k_ttl_ms).second)
          << "admitted twice: " << user;
      if (checked_over_http < 5) {  // the HTTP view agrees
        ++checked_over_http;
        EXPECT_EQ(c.me(server.user_token(user), "flash").js().value("queue_pass", ""), tok);
      }
      if (index[user] % 10 == 9) {
        // Let it expire: score and key moved to now.
        rc.command({"ZADD", P("flash") + "passes", "XX", std::to_string(redis_now_ms(rc)), tok});
        rc.command({"PEXPIRE", P("flash") + "pass:" + tok, "1"});
        ++expired;
      } else {
        fresh.emplace_back(user, tok);
      }
    }
    {
      std::lock_guard lk(mu);
      for (auto& f : fresh) work.push_back(f);
    }
    cv.notify_all();
    std::this_thread::sleep_for(5ms);
  }
  {
    std::lock_guard lk(mu);
    done = true;
  }
  cv.notify_all();
  for (auto& t : consumers) t.join();

  ASSERT_EQ(static_cast<int>(admitted_at.size()), n) << "everyone admitted once";
  EXPECT_LE(most_live, k_cap);
  EXPECT_LE(most_audited, k_cap);
  EXPECT_EQ(expired, n / 10);
  EXPECT_EQ(reserved.load(), n - n / 10);
  EXPECT_EQ(failed.load(), 0);
  // In join order: admission times never go backwards along the queue.
  for (int i = 1; i < n; ++i)
    ASSERT_LE(admitted_at[users[i - 1]], admitted_at[users[i]])
        << users[i - 1] << " vs " << users[i];
  // At most admit_per_s per second of Redis time.
  std::map<long long, int> per_second;
  for (auto& [u, at] : admitted_at) ++per_second[at / 1000];
  for (auto [sec, k] : per_second) EXPECT_LE(k, k_rate) << "second " << sec;
  // Every pass ends consumed (deleted by the detached task) or expired (pruned).
  EXPECT_TRUE(eventually([&] {
    return integer(redis.command({"ZCARD", P("flash") + "passes"})) == 0;
  }));
  auto left = redis.command({"KEYS", P("flash") + "pass:*"});
  EXPECT_EQ(left->elements, 0u);
  auto k = counts(c, "flash");
  EXPECT_TRUE(k.consistent);
  EXPECT_EQ(k.held, n - n / 10);
  EXPECT_EQ(k.audit["waiting_room"],
            json({{"waiting", 0}, {"live_passes", 0}, {"capacity", k_cap}}));
  auto m = c.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m, k_succeeded), n - n / 10);
  EXPECT_EQ(metric(m, k_failed), 0);
}

}  // namespace
}  // namespace seatgate::test
