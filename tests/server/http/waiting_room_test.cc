// The waiting room (docs/waiting-room.md) end to end over HTTP, against a
// real seatgate-server and its admission loop on a real redis-server: the
// routes' shapes and codes, queue passes, and the per-user room limit. On
// one redis-server and, in the cluster run, on a Redis Cluster (test_redis.h).
// The detached pass deletion: waiting_room_deletion_test.cc; two instances
// and 10,000 users: waiting_room_scale_test.cc.
#include "room_client.h"
#include "test_redis.h"

namespace seatgate::test {
namespace {

// --- shapes and codes ---------------------------------------------------------

TEST(WaitingRoomHttp, RoutesShapesAndCodes) {
  test_redis redis;
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
  test_redis redis;
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

// --- the per-user limit ------------------------------------------------------------

TEST(WaitingRoomHttp, ThreeRoomsAtOnceWithTheDefaultLimitOfTwo) {
  test_redis redis;
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
  test_redis redis;
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
  test_redis redis;
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

// sg:rooms holds only live rooms (docs/waiting-room.md, "The admission
// loop's list"): the loop drops a room turned off or an event closed, and a
// room turned on again is listed again and admits (nobody is stranded).
// Joining a closed event is refused.
TEST(WaitingRoomHttp, TheAdmissionListHoldsOnlyLiveRooms) {
  test_redis redis;
  server_process server({redis.url(), {}, 2, false});
  room_client c(server);
  for (const char* r : {"live", "off", "shut"})
    ASSERT_EQ(c.put_event(r, room_event(1, 100)).status, 201);
  auto listed = [&](const char* r) {
    return integer(redis.command({"SISMEMBER", "sg:rooms", r})) == 1;
  };
  ASSERT_TRUE(listed("live") && listed("off") && listed("shut"));

  auto cfg = room_event(1, 100);
  cfg["waiting_room"] = {{"enabled", false}};
  ASSERT_EQ(c.put_event("off", cfg).status, 200);
  ASSERT_EQ(
      c.send("POST", "/v1/admin/events/shut/status", json{{"status", "closed"}}.dump(), c.admin())
          .status,
      200);
  EXPECT_TRUE(eventually([&] { return !listed("off") && !listed("shut"); }));
  EXPECT_TRUE(listed("live"));
  auto erin = server.user_token("erin");
  EXPECT_EQ(c.join(erin, "shut").code(), "event_not_on_sale");
  EXPECT_EQ(integer(redis.command({"ZCARD", P("shut") + "q"})), 0);

  // On again: listed again, and a join is admitted.
  ASSERT_EQ(c.put_event("off", room_event(1, 100)).status, 200);
  EXPECT_TRUE(listed("off"));
  ASSERT_EQ(c.join(erin, "off").status, 200);
  EXPECT_FALSE(c.wait_for_pass(erin, "off").empty());
  // Reopened: the first join lists it again.
  ASSERT_EQ(
      c.send("POST", "/v1/admin/events/shut/status", json{{"status", "on_sale"}}.dump(), c.admin())
          .status,
      200);
  auto fred = server.user_token("fred");
  ASSERT_EQ(c.join(fred, "shut").js()["status"], "waiting");
  EXPECT_FALSE(c.wait_for_pass(fred, "shut").empty());
}

}  // namespace
}  // namespace seatgate::test
