#include "embedded/redis_server.h"

#include "live_util.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <filesystem>

namespace seatgate::embedded::testing {
namespace {

using namespace seatgate::redis;
using namespace seatgate::redis::testing;

using namespace std::chrono_literals;

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

TEST(embedded_server, StartsAnswersAndLeavesNothingBehind) {
  pid_t pid = -1;
  std::filesystem::path dir;
  {
    redis_server redis;
    pid = redis.pid();
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(process_exists(pid));
    const std::string url = redis.url();
    ASSERT_EQ(url.rfind("unix://", 0), 0u);
    const std::string socket = url.substr(7);
    dir = std::filesystem::path(socket).parent_path();

    struct stat st {};
    ASSERT_EQ(::stat(socket.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    redisContext* c = redisConnectUnix(socket.c_str());
    ASSERT_TRUE(c && !c->err);
    auto* r = static_cast<redisReply*>(redisCommand(c, "CONFIG GET appendonly"));
    ASSERT_TRUE(r && r->type == REDIS_REPLY_ARRAY && r->elements == 2);
    EXPECT_STREQ(r->element[1]->str, "yes");
    freeReplyObject(r);
    redisFree(c);

    // And a connection works against it.
    stats s;
    net::io_context ioc;
    {
      connection conn(ioc.get_executor(), test_options(url), s);
      conn.start();
      ASSERT_TRUE(run_until(ioc, [&] { return conn.ready(); })) << conn.last_error();
      auto pong = await(ioc, conn.command({"PING"}));
      ASSERT_TRUE(pong && !pong->first);
      EXPECT_EQ(pong->second.str, "PONG");
    }
    run_for(ioc, 10ms);
  }
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// A dead child is reaped (no zombie) and started again on the same socket and
// data directory, so what it had acknowledged is there after the restart.
TEST(embedded_server, KilledChildIsReapedAndRestartedWithItsData) {
  redis_server redis;
  std::atomic<int> exited{0}, restarted{0};
  redis.on_event([&](const redis_server::event& e) {
    (e.what == redis_server::event::exited ? exited : restarted)++;
  });
  const std::string socket = redis.url().substr(7);
  auto command = [&](const char* cmd) -> std::string {
    redisContext* c = redisConnectUnix(socket.c_str());
    if (!c || c->err) {
      if (c) redisFree(c);
      return "<no connection>";
    }
    auto* r = static_cast<redisReply*>(redisCommand(c, cmd));
    std::string out = r && r->str ? std::string(r->str, r->len) : "<nil>";
    if (r) freeReplyObject(r);
    redisFree(c);
    return out;
  };
  ASSERT_EQ(command("SET kept before-the-crash"), "OK");

  const pid_t first = redis.pid();
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  for (int i = 0; i < 200 && redis.restarts() == 0; ++i) std::this_thread::sleep_for(100ms);
  ASSERT_EQ(redis.restarts(), 1u);
  EXPECT_EQ(exited.load(), 1);
  EXPECT_EQ(restarted.load(), 1);
  EXPECT_NE(redis.pid(), first);
  EXPECT_FALSE(process_exists(first));  // reaped, not a zombie
  EXPECT_EQ(command("GET kept"), "before-the-crash");

  // And again: supervision goes on after a restart.
  ASSERT_EQ(::kill(redis.pid(), SIGKILL), 0);
  for (int i = 0; i < 200 && redis.restarts() < 2; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(redis.restarts(), 2u);
  EXPECT_EQ(command("GET kept"), "before-the-crash");
}

TEST(embedded_server, MissingBinaryThrows) {
  EXPECT_THROW(redis_server("/nonexistent/redis-server"), std::runtime_error);
  EXPECT_THROW(redis_server("no-such-redis-server-binary"), std::runtime_error);
}

}  // namespace
}  // namespace seatgate::embedded::testing
