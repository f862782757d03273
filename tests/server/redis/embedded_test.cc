#include "redis/embedded.h"

#include "live_util.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

namespace seatgate::redis::testing {
namespace {

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

TEST(embedded_server, StartsAnswersAndLeavesNothingBehind) {
  pid_t pid = -1;
  std::filesystem::path dir;
  {
    embedded_server redis;
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

TEST(embedded_server, MissingBinaryThrows) {
  EXPECT_THROW(embedded_server("/nonexistent/redis-server"), std::runtime_error);
  EXPECT_THROW(embedded_server("no-such-redis-server-binary"), std::runtime_error);
}

}  // namespace
}  // namespace seatgate::redis::testing
