#include "live_fixture.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace seatgate::redis::testing {
namespace {

using connection_test = live_test;

TEST_F(connection_test, RoundTripOverUnixSocket) {
  open();
  auto [ec, set] = run({"SET", "k", "v"});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(set.type, reply::kind::status);
  EXPECT_EQ(set.str, "OK");

  auto [ec2, get] = run({"GET", "k"});
  ASSERT_FALSE(ec2);
  EXPECT_EQ(get.type, reply::kind::string);
  EXPECT_EQ(get.str, "v");

  auto [ec3, missing] = run({"GET", "nope"});
  ASSERT_FALSE(ec3);
  EXPECT_EQ(missing.type, reply::kind::nil);

  auto [ec4, n] = run({"INCRBY", "n", "41"});
  ASSERT_FALSE(ec4);
  EXPECT_EQ(n.type, reply::kind::integer);
  EXPECT_EQ(n.integer, 41);
  EXPECT_GE(st.commands.load(), 4u);
  EXPECT_EQ(st.errors.load(), 0u);
}

TEST_F(connection_test, ArgumentsAreBinarySafe) {
  open();
  const std::string value("a\0b\r\n$3\r\n", 9);
  ASSERT_FALSE(run({"SET", std::string("k\0ey", 4), value}).first);
  auto [ec, r] = run({"GET", std::string("k\0ey", 4)});
  ASSERT_FALSE(ec);
  EXPECT_EQ(r.str, value);
}

TEST_F(connection_test, ErrorReplyIsAReplyWithSuccessCode) {
  open();
  ASSERT_FALSE(run({"SET", "s", "x"}).first);
  auto [ec, r] = run({"LPUSH", "s", "y"});
  EXPECT_FALSE(ec);
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.str.rfind("WRONGTYPE", 0), 0u) << r.str;
  // The connection is fine afterwards.
  EXPECT_EQ(run({"PING"}).second.str, "PONG");
  EXPECT_EQ(st.errors.load(), 0u);
}

TEST_F(connection_test, RoundTripOverTcpWithAuth) {
  tcp_redis tcp("s3cret");
  open(test_options("redis://:s3cret@127.0.0.1:" + std::to_string(tcp.port())));
  auto [ec, r] = run({"PING"});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(r.str, "PONG");
}

TEST_F(connection_test, WrongPasswordNeverReady) {
  tcp_redis tcp("s3cret");
  conn = std::make_unique<connection>(
      ioc.get_executor(), test_options("redis://:wrong@127.0.0.1:" + std::to_string(tcp.port())),
      st);
  conn->start();
  EXPECT_TRUE(run_until(
      ioc, [&] { return conn->last_error().starts_with("AUTH"); }, 5s))
      << conn->last_error();
  EXPECT_FALSE(conn->ready());
}

TEST_F(connection_test, ThousandCommandsInFlightAnsweredInOrder) {
  open();
  constexpr int n = 1000;
  std::vector<long long> got(n, -1);
  int done = 0;
  const auto sent_before = st.commands.load();
  std::uint64_t sent_at_first_reply = 0;
  for (int i = 0; i < n; ++i) {
    net::co_spawn(
        ioc,
        [&, i]() -> net::awaitable<void> {
          command incr{"INCR", "counter"};  // GCC 12: no braced list inside co_await
          auto [ec, r] = co_await conn->command(std::move(incr));
          if (!ec) got[i] = r.integer;
          if (done++ == 0) sent_at_first_reply = st.commands.load() - sent_before;
        },
        net::detached);
  }
  ASSERT_TRUE(run_until(ioc, [&] { return done == n; }));
  // All of them were on the wire before the first reply was read.
  EXPECT_EQ(sent_at_first_reply, static_cast<std::uint64_t>(n));
  for (int i = 0; i < n; ++i) ASSERT_EQ(got[i], i + 1) << "command " << i;
  EXPECT_EQ(st.errors.load(), 0u);
}

// Far more than one socket buffer each way: partial writes must wait for
// writability and reads must continue while hiredis has data left to read
// (it reads 16 KiB per call, the reactor is edge-triggered).
TEST_F(connection_test, LargeValuesBothWays) {
  open();
  std::string big(8 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096)
    big[i] = static_cast<char>('a' + (i / 4096) % 26);
  auto [ec, set] = run({"SET", "big", big});
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(set.str, "OK");

  constexpr int n = 8;
  int done = 0, good = 0;
  for (int i = 0; i < n; ++i) {
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
          command get{"GET", "big"};
          auto [ec, r] = co_await conn->command(std::move(get));
          if (!ec && r.str == big) ++good;
          ++done;
        },
        net::detached);
  }
  ASSERT_TRUE(run_until(ioc, [&] { return done == n; }));
  EXPECT_EQ(good, n);
}

TEST_F(connection_test, NotConnectedFailsFast) {
  conn = std::make_unique<connection>(ioc.get_executor(),
                                      test_options("unix:///nonexistent/redis.sock"), st);
  conn->start();
  auto t0 = std::chrono::steady_clock::now();
  auto r = await(ioc, conn->command({"PING"}), 1s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, errc::not_connected);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
  run_until(
      ioc, [&] { return !conn->last_error().empty(); }, 1s);
  EXPECT_FALSE(conn->ready());
  EXPECT_FALSE(conn->last_error().empty());
  EXPECT_EQ(st.errors.load(), 1u);
}

// A listener whose accept queue is full drops further SYNs, so a connect to
// it stays in progress until our connect timeout gives up.
TEST_F(connection_test, ConnectTimeout) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(fd);
  }
  run_for(ioc, 50ms);

  auto o = test_options("redis://127.0.0.1:" + std::to_string(ntohs(a.sin_port)));
  o.connect_timeout = 100ms;
  o.command_timeout = 100ms;  // in case the kernel completes the handshake anyway
  conn = std::make_unique<connection>(ioc.get_executor(), o, st);
  conn->start();
  EXPECT_TRUE(run_until(
      ioc, [&] { return !conn->last_error().empty(); }, 2s));
  EXPECT_FALSE(conn->ready());
  EXPECT_TRUE(conn->last_error() == "connect: timed out" ||
              conn->last_error().starts_with("SCRIPT LOAD"))
      << conn->last_error();
  conn.reset();
  run_for(ioc, 10ms);
  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

TEST_F(connection_test, BadUrlThrowsAtConstruction) {
  EXPECT_THROW(connection(ioc.get_executor(), test_options("rediss://x:1"), st),
               std::invalid_argument);
}

// BLPOP on an empty list keeps a command in flight for as long as we like.
TEST_F(connection_test, StopCompletesInFlightWithShuttingDown) {
  open();
  std::vector<std::optional<result>> out(5);
  for (auto& slot : out) blpop_into(slot);
  run_for(ioc, 50ms);  // sent, blocked in Redis
  auto t0 = std::chrono::steady_clock::now();
  conn->stop();
  EXPECT_FALSE(conn->ready());
  ASSERT_TRUE(run_until(
      ioc,
      [&] {
        for (auto& s : out)
          if (!s) return false;
        return true;
      },
      2s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  for (auto& s : out) EXPECT_EQ(s->first, errc::shutting_down) << s->first.message();
  auto after = await(ioc, conn->command({"PING"}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->first, errc::shutting_down);
  conn->stop();  // idempotent
}

TEST_F(connection_test, DestroyWithCommandsInFlight) {
  open();
  std::vector<std::optional<result>> out(3);
  for (auto& slot : out) blpop_into(slot);
  run_for(ioc, 50ms);
  conn.reset();
  ASSERT_TRUE(run_until(
      ioc, [&] { return out[0] && out[1] && out[2]; }, 2s));
  for (auto& s : out) EXPECT_EQ(s->first, errc::shutting_down);
}

}  // namespace
}  // namespace seatgate::redis::testing
