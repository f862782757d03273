// The waiting room (docs/waiting-room.md) end to end: real seatgate-server processes and
// their admission loops against a real redis-server. Bulk joins go straight
// through the join script (pipelined) to keep the 10,000-user run fast; a
// sample of users joins and polls over HTTP.
#include "api_client.h"

#include "seatgate/lua_scripts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace seatgate::test {
namespace {

using namespace std::chrono_literals;

std::string P(const std::string& event) { return "sg:{e:" + event + "}:"; }

json room_event(long room_capacity, long admit_per_s, long pass_ttl_s = 300,
                long zone_capacity = 20000) {
  auto cfg = event_config(zone_capacity, 600, 10, 10);
  cfg["waiting_room"] = {{"enabled", true},
                         {"capacity", room_capacity},
                         {"admit_per_s", admit_per_s},
                         {"pass_ttl_s", pass_ttl_s},
                         {"max_queues_per_user", 2}};
  return cfg;
}

long metric(const std::string& text, const std::string& name) {
  auto pos = text.find("\n" + name + " ");
  if (pos == std::string::npos) return -1;
  return std::stol(text.substr(pos + name.size() + 2));
}
const std::string k_succeeded = "seatgate_detached_tasks_total{result=\"succeeded\"}";
const std::string k_failed = "seatgate_detached_tasks_total{result=\"failed\"}";
const std::string k_retries = "seatgate_detached_task_retries_total";

std::string str_of(const redisReply* r) {
  if (!r) return "";
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  if (r->type == REDIS_REPLY_NIL) return "";
  return std::string(r->str, r->len);
}
long long integer(const reply_ptr& r) {
  return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
}
std::string text(const reply_ptr& r) { return str_of(r.get()); }

// One kept connection, for loops that would otherwise connect per command.
class redis_conn {
 public:
  explicit redis_conn(const redis_server& r) : ctx_(r.connect()) {}
  reply_ptr command(const std::vector<std::string>& argv) {
    std::vector<const char*> p;
    std::vector<size_t> l;
    for (const auto& a : argv) {
      p.push_back(a.data());
      l.push_back(a.size());
    }
    return reply_ptr(static_cast<redisReply*>(
        redisCommandArgv(ctx_.get(), static_cast<int>(p.size()), p.data(), l.data())));
  }

 private:
  context_ptr ctx_;
};

template <class R>
long long redis_now_ms(R& redis) {
  auto t = redis.command({"TIME"});
  return std::stoll(str_of(t->element[0])) * 1000 + std::stoll(str_of(t->element[1])) / 1000;
}

// Joins users[from..to) through join_queue directly (pipelined), in order.
void lua_join(const redis_server& redis, const std::string& event,
              const std::vector<std::string>& users) {
  auto ctx = redis.connect();
  auto src = lua::source(lua::script::join_queue).text;
  reply_ptr sha(
      static_cast<redisReply*>(redisCommand(ctx.get(), "SCRIPT LOAD %b", src.data(), src.size())));
  ASSERT_TRUE(sha && sha->type == REDIS_REPLY_STRING);
  const std::string s = str_of(sha.get()), ev = P(event) + "ev", q = P(event) + "q";
  for (size_t from = 0; from < users.size(); from += 1000) {
    size_t to = std::min(users.size(), from + 1000);
    for (size_t i = from; i < to; ++i) {
      const char* argv[] = {"EVALSHA", s.c_str(),        "2", ev.c_str(),
                            q.c_str(), users[i].c_str(), "1"};
      redisAppendCommandArgv(ctx.get(), 7, argv, nullptr);
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

// api_client plus the queue routes. These go through a second connection
// with TCP_NODELAY, so that a request written in two pieces (headers, body)
// is not held back by Nagle's algorithm against the server's delayed ACK.
class room_client : public api_client {
 public:
  explicit room_client(const server_process& s) : api_client(s), fast_(s.host(), s.port()) {
    fast_.set_keep_alive(true);
    fast_.set_tcp_nodelay(true);
    fast_.set_read_timeout(30, 0);
  }
  http_reply join(const std::string& token, const std::string& event) {
    return fast("POST", "/v1/events/" + event + "/queue", "", user(token));
  }
  http_reply me(const std::string& token, const std::string& event) {
    return fast("GET", "/v1/events/" + event + "/queue/me", "", user(token));
  }
  http_reply leave(const std::string& token, const std::string& event) {
    return fast("DELETE", "/v1/events/" + event + "/queue/me", "", user(token));
  }
  // Polls queue/me until admitted; returns the pass ("" on timeout).
  std::string wait_for_pass(const std::string& token, const std::string& event,
                            std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      auto r = me(token, event);
      auto j = r.js();
      if (r.status == 200 && j.value("status", "") == "admitted") return j["queue_pass"];
      std::this_thread::sleep_for(20ms);
    }
    return "";
  }
  http_reply reserve_with(const std::string& token, const std::string& event,
                          const std::string& pass, const std::string& key) {
    auto h = user(token);
    h.emplace("Idempotency-Key", key);
    if (!pass.empty()) h.emplace("Queue-Pass", pass);
    return fast("POST", "/v1/reservations",
                json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump(), h);
  }

 private:
  http_reply fast(const std::string& method, const std::string& path, const std::string& body,
                  httplib::Headers headers) {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(headers);
    if (method == "POST") {
      req.body = body;
      req.set_header("Content-Type", "application/json");
    }
    auto res = fast_.send(req);
    http_reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.headers = res->headers;
    return r;
  }
  httplib::Client fast_;
};

template <class F>
bool eventually(F f, std::chrono::milliseconds limit = 10s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return f();
}

// --- shapes and codes ---------------------------------------------------------

TEST(WaitingRoomHttp, RoutesShapesAndCodes) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("off", event_config()).status, 201);
  ASSERT_EQ(c.put_event("on", room_event(1, 100)).status, 201);
  auto alice = server.user_token("alice"), bob = server.user_token("bob");

  auto off = c.join(alice, "off");
  EXPECT_EQ(off.status, 200);
  EXPECT_EQ(off.js(), json({{"status", "not_required"}}));
  EXPECT_EQ(c.me(alice, "off").js(), json({{"status", "not_required"}}));

  EXPECT_EQ(c.join(alice, "nope").code(), "event_not_found");
  EXPECT_EQ(c.me(alice, "nope").status, 404);
  EXPECT_EQ(c.leave(alice, "nope").code(), "event_not_found");
  EXPECT_EQ(c.send("POST", "/v1/events/on/queue").status, 401);
  EXPECT_EQ(c.send("GET", "/v1/events/on/queue/me").status, 401);
  EXPECT_EQ(c.join(alice, "Bad_Id").code(), "invalid_request");
  EXPECT_EQ(c.send("GET", "/v1/events/on/queue", "", c.user(alice)).status, 405);
  EXPECT_EQ(c.send("POST", "/v1/events/on/queue/me", "", c.user(alice)).status, 405);
  EXPECT_EQ(c.send("POST", "/v1/events/on/queue", "x", c.user(alice), "text/plain").status, 415);
  EXPECT_EQ(c.me(alice, "on").js(), json({{"status", "not_joined"}}));

  // Capacity 1: alice is admitted, bob waits.
  auto a = c.join(alice, "on");
  ASSERT_EQ(a.status, 200) << a.body;
  auto pass = c.wait_for_pass(alice, "on");
  ASSERT_FALSE(pass.empty());
  auto me = c.me(alice, "on").js();
  EXPECT_EQ(me["status"], "admitted");
  EXPECT_EQ(me["queue_pass"], pass);
  EXPECT_EQ(pass.size(), 22u) << "128 random bits, base64url";
  EXPECT_EQ(me["pass_expires_at"].get<std::string>().size(), 24u);  // 2025-01-01T00:00:00.000Z
  EXPECT_EQ(c.join(alice, "on").js(), me) << "joining again answers the same pass";

  auto b = c.join(bob, "on").js();
  EXPECT_EQ(b["status"], "waiting");
  EXPECT_EQ(b["position"], 1);
  EXPECT_EQ(b["poll_after_ms"], 500);
  EXPECT_EQ(c.join(bob, "on").js(), b) << "repeat is harmless";
  EXPECT_EQ(c.me(bob, "on").js(), b);

  // The audit's view.
  auto audit = c.audit("on").js()["waiting_room"];
  EXPECT_EQ(audit, json({{"waiting", 1}, {"live_passes", 1}, {"capacity", 1}}));

  // Leaving: bob's place goes; alice's unused pass is given back, so the
  // slot frees at once.
  EXPECT_EQ(c.leave(bob, "on").js(), json({{"status", "left"}}));
  EXPECT_EQ(c.leave(bob, "on").js(), json({{"status", "left"}}));
  EXPECT_EQ(c.me(bob, "on").js(), json({{"status", "not_joined"}}));
  EXPECT_EQ(c.leave(alice, "on").status, 200);
  EXPECT_EQ(c.audit("on").js()["waiting_room"]["live_passes"], 0);
  EXPECT_EQ(c.reserve_with(alice, "on", pass, "k").code(), "queue_pass_invalid");
  EXPECT_EQ(integer(redis.command({"ZCARD", "sg:{u:alice}:queues"})), 0) << "claims released";
}

// --- passes -------------------------------------------------------------------

TEST(WaitingRoomHttp, BadPassesAre403AndChangeNothing) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("gate", room_event(10, 100, 300, 100)).status, 201);
  auto alice = server.user_token("alice"), bob = server.user_token("bob"),
       carol = server.user_token("carol");
  for (auto* t : {&alice, &bob, &carol}) ASSERT_EQ(c.join(*t, "gate").status, 200);
  auto pa = c.wait_for_pass(alice, "gate"), pb = c.wait_for_pass(bob, "gate"),
       pc = c.wait_for_pass(carol, "gate");
  ASSERT_FALSE(pa.empty() || pb.empty() || pc.empty());
  // carol's pass expires (moved into the past by hand).
  redis.command({"PEXPIRE", P("gate") + "pass:" + pc, "1"});
  std::this_thread::sleep_for(20ms);

  auto before = counts(c, "gate");
  auto expect_403 = [&](const http_reply& r, const std::string& code) {
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.code(), code);
    EXPECT_FALSE(r.js()["retryable"].get<bool>());
    EXPECT_TRUE(counts(c, "gate") == before);
  };
  expect_403(c.reserve_with(alice, "gate", "", "k1"), "queue_pass_required");
  expect_403(c.reserve_with(alice, "gate", "AAAAAAAAAAAAAAAAAAAAAA", "k2"), "queue_pass_invalid");
  expect_403(c.reserve_with(alice, "gate", pb, "k3"), "queue_pass_invalid");
  expect_403(c.reserve_with(carol, "gate", pc, "k4"), "queue_pass_invalid");
  EXPECT_EQ(text(redis.command({"HGET", P("gate") + "pass:" + pb, "used"})), "0")
      << "bob's pass untouched";

  auto ok = c.reserve_with(alice, "gate", pa, "k5");
  ASSERT_EQ(ok.status, 201) << ok.body;
  // Used: the same request replays, a new one is refused.
  EXPECT_EQ(c.reserve_with(alice, "gate", pa, "k5").status, 201);
  before = counts(c, "gate");
  EXPECT_EQ(before.held, 1);
  expect_403(c.reserve_with(alice, "gate", pa, "k6"), "queue_pass_invalid");
  EXPECT_TRUE(eventually([&] {
    return integer(redis.command({"EXISTS", P("gate") + "pass:" + pa})) == 0;
  }));
  expect_403(c.reserve_with(alice, "gate", pa, "k7"), "queue_pass_invalid");
  EXPECT_TRUE(counts(c, "gate").consistent);
}

// --- the detached deletion ------------------------------------------------------

// Sends a reservation on a fresh socket and closes it without reading.
void reserve_and_hang_up(const server_process& s, const std::string& token,
                         const std::string& event, const std::string& pass) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(s.port());
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string body = json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump();
  std::string req =
      "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
      "\r\nIdempotency-Key: hangup\r\nQueue-Pass: " + pass +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
  ::close(fd);
}

TEST(WaitingRoomHttp, DeletionHappensWhenTheClientHangsUpAndFreesTheSlot) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("hang", room_event(1, 100)).status, 201);
  auto alice = server.user_token("alice"), bob = server.user_token("bob");
  ASSERT_EQ(c.join(alice, "hang").status, 200);
  auto pass = c.wait_for_pass(alice, "hang");
  ASSERT_FALSE(pass.empty());
  ASSERT_EQ(c.join(bob, "hang").js()["status"], "waiting");
  long done_before = metric(c.send("GET", "/metrics").body, k_succeeded);

  reserve_and_hang_up(server, alice, "hang", pass);
  EXPECT_TRUE(eventually([&] {
    return integer(redis.command({"EXISTS", P("hang") + "pass:" + pass})) == 0;
  }));
  EXPECT_TRUE(eventually(
      [&] { return metric(c.send("GET", "/metrics").body, k_succeeded) == done_before + 1; }));
  auto k = counts(c, "hang");
  EXPECT_EQ(k.held, 1) << "the reservation was made though nobody read the answer";
  // The freed slot goes to the next user.
  EXPECT_FALSE(c.wait_for_pass(bob, "hang", 5s).empty());
}

// Makes delete_pass fail with a Redis error (WRONGTYPE on `passes`) until
// repaired; reserve_seats does not touch `passes`.
void break_passes(const redis_server& redis, const std::string& event) {
  redis.command({"RENAME", P(event) + "passes", P(event) + "passes-saved"});
  redis.command({"SET", P(event) + "passes", "broken"});
}
// One command: RENAME replaces the broken key atomically. A DEL first would
// let a retry run between the two and find no `passes` at all, deleting the
// pass while its slot (still in passes-saved) comes back afterwards.
void repair_passes(const redis_server& redis, const std::string& event) {
  redis.command({"RENAME", P(event) + "passes-saved", P(event) + "passes"});
}

TEST(WaitingRoomHttp, DeletionIsRetriedThroughRedisErrorsAndARestart) {
  redis_server redis(/*append_only=*/true);
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("retry", room_event(1, 100)).status, 201);
  auto alice = server.user_token("alice");
  ASSERT_EQ(c.join(alice, "retry").status, 200);
  auto pass = c.wait_for_pass(alice, "retry");
  ASSERT_FALSE(pass.empty());
  auto m0 = c.send("GET", "/metrics").body;

  break_passes(redis, "retry");
  ASSERT_EQ(c.reserve_with(alice, "retry", pass, "k").status, 201);
  EXPECT_TRUE(eventually(
      [&] { return metric(c.send("GET", "/metrics").body, k_retries) > metric(m0, k_retries); }));
  // Redis goes away while the task is retrying, and comes back (AOF keeps the data).
  redis.stop();
  std::this_thread::sleep_for(300ms);
  redis.start();
  ASSERT_TRUE(eventually([&] { return c.send("GET", "/readyz").status == 200; }));
  EXPECT_EQ(text(redis.command({"HGET", P("retry") + "pass:" + pass, "used"})), "1")
      << "not deleted yet";
  repair_passes(redis, "retry");
  EXPECT_TRUE(eventually(
      [&] {
        return integer(redis.command({"EXISTS", P("retry") + "pass:" + pass})) == 0;
      },
      15s));
  EXPECT_EQ(integer(redis.command({"ZCARD", P("retry") + "passes"})), 0) << "its slot is free";
  auto m1 = c.send("GET", "/metrics").body;
  EXPECT_EQ(metric(m1, k_succeeded), metric(m0, k_succeeded) + 1);
  EXPECT_EQ(metric(m1, k_failed), metric(m0, k_failed));
  EXPECT_GE(metric(m1, k_retries), metric(m0, k_retries) + 2);
}

// Redis committed the reservation, but its pass was never deleted (here: the
// server died while the deletion kept failing) and the client, which saw no
// answer, retries with the same key. The replay must delete the pass too, or
// its admission slot stays taken until the pass expires.
TEST(WaitingRoomHttp, AnIdempotentReplayDeletesTheUsedPass) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("replay", room_event(1, 100)).status, 201);
  auto alice = server.user_token("alice"), bob = server.user_token("bob");
  ASSERT_EQ(c.join(alice, "replay").status, 200);
  auto pass = c.wait_for_pass(alice, "replay");
  ASSERT_FALSE(pass.empty());

  break_passes(redis, "replay");
  auto first = c.reserve_with(alice, "replay", pass, "same-key");
  ASSERT_EQ(first.status, 201) << first.body;
  server.kill_hard();  // dies with the deletion still pending
  repair_passes(redis, "replay");
  ASSERT_EQ(text(redis.command({"HGET", P("replay") + "pass:" + pass, "used"})), "1");

  server.restart();
  room_client c2(server);
  auto again = c2.reserve_with(alice, "replay", pass, "same-key");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.js()["id"], first.js()["id"]);
  EXPECT_TRUE(eventually([&] {
    return integer(redis.command({"EXISTS", P("replay") + "pass:" + pass})) == 0;
  })) << "the replay left the used pass in place";
  EXPECT_EQ(integer(redis.command({"ZCARD", P("replay") + "passes"})), 0) << "its slot is free";
  ASSERT_EQ(c2.join(bob, "replay").status, 200);
  EXPECT_FALSE(c2.wait_for_pass(bob, "replay", 5s).empty());
  EXPECT_EQ(counts(c2, "replay").held, 1);
}

TEST(WaitingRoomHttp, ShutdownDrainsAPendingDeletion) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("drain", room_event(1, 100)).status, 201);
  auto alice = server.user_token("alice");
  ASSERT_EQ(c.join(alice, "drain").status, 200);
  auto pass = c.wait_for_pass(alice, "drain");
  ASSERT_FALSE(pass.empty());

  break_passes(redis, "drain");
  ASSERT_EQ(c.reserve_with(alice, "drain", pass, "k").status, 201);
  auto exit_code = std::async(std::launch::async, [&] { return server.terminate_and_wait(); });
  // The server is draining: it must wait for the deletion, which can finish
  // once Redis answers normally again.
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(exit_code.wait_for(0s), std::future_status::timeout)
      << "exited before the task finished";
  repair_passes(redis, "drain");
  EXPECT_EQ(exit_code.get(), 0);
  EXPECT_EQ(integer(redis.command({"EXISTS", P("drain") + "pass:" + pass})), 0);
  auto log = server.log_text();
  auto drained = log.find("\"drained\"");
  ASSERT_NE(drained, std::string::npos) << log;
  auto line = log.substr(drained, log.find('\n', drained) - drained);
  EXPECT_NE(line.find("\"detached_pending\":0"), std::string::npos) << line;
}

// --- the per-user limit ------------------------------------------------------------

TEST(WaitingRoomHttp, ThreeRoomsAtOnceWithTheDefaultLimitOfTwo) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  const std::vector<std::string> rooms = {"r1", "r2", "r3"};
  auto filler = server.user_token("filler");
  for (auto& r : rooms) {
    ASSERT_EQ(c.put_event(r, room_event(1, 100)).status, 201);
    // Takes the room's one slot. Once told it is admitted, the filler no
    // longer waits there, so that room stops counting against its limit.
    ASSERT_EQ(c.join(filler, r).status, 200);
    ASSERT_FALSE(c.wait_for_pass(filler, r).empty());
  }

  for (int round = 0; round < 5; ++round) {
    auto token = server.user_token("user" + std::to_string(round));
    std::vector<http_reply> replies(3);
    std::vector<std::thread> ts;
    for (int i = 0; i < 3; ++i)
      ts.emplace_back([&, i] { replies[i] = room_client(server).join(token, rooms[i]); });
    for (auto& t : ts) t.join();
    int ok = 0, limited = 0, limited_at = -1;
    for (int i = 0; i < 3; ++i) {
      if (replies[i].status == 200 && replies[i].js()["status"] == "waiting") ++ok;
      if (replies[i].status == 409 && replies[i].code() == "queue_limit_exceeded") {
        ++limited;
        limited_at = i;
        EXPECT_FALSE(replies[i].js()["retryable"].get<bool>());
      }
    }
    EXPECT_EQ(ok, 2) << "round " << round;
    EXPECT_EQ(limited, 1) << "round " << round;
    if (limited_at < 0) continue;
    EXPECT_EQ(c.me(token, rooms[limited_at]).js()["status"], "not_joined");
    // Leaving one room makes room for the third.
    EXPECT_EQ(c.leave(token, rooms[(limited_at + 1) % 3]).status, 200);
    EXPECT_EQ(c.join(token, rooms[limited_at]).js()["status"], "waiting");
  }

  // A room the user was admitted from (without asking) no longer counts once
  // the claim is older than the grace period.
  auto v = server.user_token("victor");
  ASSERT_EQ(c.join(v, "r1").js()["status"], "waiting");
  ASSERT_EQ(c.join(v, "r2").js()["status"], "waiting");
  EXPECT_EQ(c.join(v, "r3").code(), "queue_limit_exceeded");
  // Empty r1 of everyone ahead of victor, so he is admitted there.
  for (int round = 0; round < 5; ++round)
    c.leave(server.user_token("user" + std::to_string(round)), "r1");
  ASSERT_EQ(c.leave(filler, "r1").status, 200);
  ASSERT_TRUE(eventually([&] {
    return !text(redis.command({"GET", P("r1") + "qp:victor"})).empty();
  }));
  EXPECT_EQ(c.join(v, "r3").code(), "queue_limit_exceeded") << "the claim is still young";
  std::this_thread::sleep_for(2200ms);
  EXPECT_EQ(c.join(v, "r3").js()["status"], "waiting");
  EXPECT_EQ(c.me(v, "r1").js()["status"], "admitted") << "the pass is kept";
}

// A room turned off, or an event closed, ends its line in the same step: the
// users who waited there are not stranded, and their claims stop counting
// against max_queues_per_user (their next join finds them idle).
TEST(WaitingRoomHttp, TurningTheRoomOffOrClosingTheEventReleasesItsLine) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  for (const char* r : {"off", "closing", "ra", "rb"})
    ASSERT_EQ(c.put_event(r, room_event(1, 100)).status, 201);
  auto filler = server.user_token("filler");
  for (const char* r : {"off", "closing"}) {
    ASSERT_EQ(c.join(filler, r).status, 200);
    ASSERT_FALSE(c.wait_for_pass(filler, r).empty());
  }
  auto bob = server.user_token("bob"), carol = server.user_token("carol");
  ASSERT_EQ(c.join(bob, "off").js()["status"], "waiting");
  ASSERT_EQ(c.join(carol, "closing").js()["status"], "waiting");

  auto cfg = room_event(1, 100);
  cfg["waiting_room"] = {{"enabled", false}};
  ASSERT_EQ(c.put_event("off", cfg).status, 200);
  ASSERT_EQ(c.send("POST", "/v1/admin/events/closing/status", json{{"status", "closed"}}.dump(),
                   c.admin())
                .status,
            200);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("off") + "q"})), 0);
  EXPECT_EQ(integer(redis.command({"ZCARD", P("closing") + "q"})), 0);
  EXPECT_EQ(c.me(bob, "off").js()["status"], "not_required");
  EXPECT_EQ(c.me(carol, "closing").js()["status"], "not_joined");

  // Each may still wait in two other rooms (the default limit is 2).
  ASSERT_EQ(c.join(bob, "ra").js()["status"], "waiting");
  ASSERT_EQ(c.join(carol, "ra").js()["status"], "waiting");
  std::this_thread::sleep_for(2200ms);  // claims younger than 2 s are never released
  auto b = c.join(bob, "rb"), k = c.join(carol, "rb");
  EXPECT_EQ(b.js()["status"], "waiting") << b.body;
  EXPECT_EQ(k.js()["status"], "waiting") << k.body;
}

// A join whose claim is revoked by concurrent clean-ups round after round is
// told to retry (503, retryable), never that the user is over the limit.
TEST(WaitingRoomHttp, AJoinWhoseClaimKeepsBeingRevokedIsToldToRetry) {
  redis_server redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  ASSERT_EQ(c.put_event("revoked", room_event(1, 100)).status, 201);
  // Every claim generation (Redis time in µs) is below this: always revoked.
  redis.command({"SET", P("revoked") + "qrv:dave", "9000000000000000", "PX", "60000"});
  auto dave = server.user_token("dave");
  auto r = c.join(dave, "revoked");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.code(), "unavailable");
  EXPECT_TRUE(r.js().value("retryable", false));
  EXPECT_FALSE(r.header("Retry-After").empty());
  EXPECT_EQ(integer(redis.command({"ZCARD", "sg:{u:dave}:queues"})), 0) << "claims given back";
  EXPECT_EQ(integer(redis.command({"ZCARD", P("revoked") + "q"})), 0);

  redis.command({"DEL", P("revoked") + "qrv:dave"});
  EXPECT_EQ(c.join(dave, "revoked").js()["status"], "waiting");
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
