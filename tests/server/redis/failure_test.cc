#include "live_fixture.h"

namespace seatgate::redis::testing {
namespace {

using failure_test = live_test;

TEST_F(failure_test, RedisKilledThenRestarted) {
  open();
  std::optional<result> in_flight;
  blpop_into(in_flight);
  run_for(ioc, 50ms);
  ASSERT_FALSE(in_flight);

  server.stop();  // SIGKILL
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      ioc, [&] { return in_flight.has_value(); }, 2s));
  EXPECT_EQ(in_flight->first, errc::connection_lost) << in_flight->first.message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_FALSE(conn->ready());
  EXPECT_FALSE(conn->last_error().empty());

  // New commands fail at once while Redis is down (and it keeps retrying).
  for (int i = 0; i < 3; ++i) {
    auto t1 = std::chrono::steady_clock::now();
    auto r = await(ioc, conn->command({"PING"}), 1s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, errc::not_connected);
    EXPECT_LT(std::chrono::steady_clock::now() - t1, 200ms);
    run_for(ioc, 100ms);
  }
  EXPECT_EQ(st.reconnects.load(), 0u);

  server.start();
  ASSERT_TRUE(run_until(
      ioc, [&] { return conn->ready(); }, 5s))
      << conn->last_error();
  EXPECT_EQ(st.reconnects.load(), 1u);
  EXPECT_TRUE(conn->last_error().empty());
  auto [ec, pong] = run({"PING"});
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(pong.str, "PONG");
  // The restarted Redis has an empty script cache; scripts were loaded again.
  auto eval = await(ioc, conn->eval(lua::script::read_event, {"sg:{e:x}:ev"}, {}));
  ASSERT_TRUE(eval && !eval->first && eval->second.is_array());
  EXPECT_EQ(st.noscript_reloads.load(), 0u);
}

TEST_F(failure_test, CommandTimeoutKeepsTheConnectionUsable) {
  auto o = test_options(server.url());
  o.command_timeout = 200ms;
  open(o);
  auto t0 = std::chrono::steady_clock::now();
  auto slow = await(ioc, conn->command({"BLPOP", "empty", "1"}), 2s);  // Redis answers after 1 s
  auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->first, errc::timeout);
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 1s);
  EXPECT_TRUE(conn->ready());

  run_for(ioc, 1s);  // the late reply arrives and is dropped
  ASSERT_FALSE(run({"SET", "after", "1"}).first);
  auto [ec, r] = run({"GET", "after"});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(r.str, "1");
  EXPECT_EQ(st.errors.load(), 1u);
  EXPECT_EQ(st.reconnects.load(), 0u);
}

TEST_F(failure_test, ReconnectsAgainAndAgain) {
  open();
  for (int round = 1; round <= 3; ++round) {
    server.stop();
    ASSERT_TRUE(run_until(
        ioc, [&] { return !conn->ready(); }, 2s));
    server.start();
    ASSERT_TRUE(run_until(
        ioc, [&] { return conn->ready(); }, 5s))
        << conn->last_error();
    EXPECT_EQ(st.reconnects.load(), static_cast<std::uint64_t>(round));
    EXPECT_EQ(run({"PING"}).second.str, "PONG");
  }
}

}  // namespace
}  // namespace seatgate::redis::testing
