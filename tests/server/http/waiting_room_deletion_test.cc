// The waiting room's detached pass deletion (docs/waiting-room.md) against
// a real seatgate-server and redis-server: the used pass is deleted when the
// client hangs up, through Redis errors and restarts, on an idempotent replay
// and before a shutdown completes.
#include "loopback.h"
#include "room_client.h"

#include <unistd.h>

#include <future>

namespace seatgate::test {
namespace {

// --- the detached deletion ------------------------------------------------------

// Sends a reservation on a fresh socket and closes it without reading.
void reserve_and_hang_up(const server_process& s, const std::string& token,
                         const std::string& event, const std::string& pass) {
  int fd = connect_raw(s.port());
  ASSERT_GE(fd, 0);
  std::string body = json{{"event_id", event}, {"zone_id", "floor"}, {"quantity", 1}}.dump();
  std::string req =
      "POST /v1/reservations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
      "\r\nIdempotency-Key: hangup\r\nQueue-Pass: " + pass +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  ASSERT_TRUE(send_all(fd, req));
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

}  // namespace
}  // namespace seatgate::test
