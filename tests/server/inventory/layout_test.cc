// The key layout version (docs/redis-schema.md, Layout version) with a real
// seatgate-server process: an empty Redis is stamped and served; a Redis
// holding the older layout (zones in keys of their own, no version) or
// another version makes the server exit with status 1 and say what to do,
// before it serves anything.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "redis_server.h"
#include "server_process.h"

namespace seatgate::test {
namespace {

struct exit_result {
  int status = -2;  // exit status; -1 = killed by a signal or still running at the end
  std::string output;
};

// Runs seatgate-server on `redis` until it exits (at most ~30 s, then SIGKILL).
exit_result run_server(const redis_server& redis) {
  char dir_tpl[] = "/tmp/seatgate-layout-XXXXXX";
  const std::string dir = mkdtemp(dir_tpl);
  const std::string out_path = dir + "/out.log";
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("SEATGATE_JWT_SECRET", "layout-test-secret-0123456789abcdef", 1);
    setenv("SEATGATE_ADMIN_TOKEN", "layout-test-admin-token", 1);
    FILE* out = std::freopen(out_path.c_str(), "w", stdout);
    if (!out || dup2(fileno(out), 2) < 0) _exit(127);
    const std::string url = redis.url();
    execl(SEATGATE_SERVER_BIN, SEATGATE_SERVER_BIN, "--listen", "127.0.0.1:0", "--threads", "1",
          "--redis-url", url.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  exit_result r;
  int ws = 0;
  for (int i = 0; i < 300; ++i) {
    if (waitpid(pid, &ws, WNOHANG) == pid) {
      r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (r.status == -2) {
    kill(pid, SIGKILL);
    waitpid(pid, &ws, 0);
    r.status = -1;
  }
  std::ifstream in(out_path);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  std::remove(out_path.c_str());
  rmdir(dir.c_str());
  return r;
}

std::string get(const redis_server& redis, const std::string& key) {
  auto r = redis.command({"GET", key});
  return r && r->str ? std::string(r->str, r->len) : "";
}

TEST(Layout, AnEmptyStoreIsStampedAndServed) {
  redis_server redis;
  {
    server_process server({redis.url(), {}, 1, false});
    EXPECT_EQ(get(redis, "sg:schema"), "3");
  }
  // And it starts again on its own layout.
  server_process again({redis.url(), {}, 1, false});
  EXPECT_EQ(get(redis, "sg:schema"), "3");
}

TEST(Layout, TheOlderLayoutIsRefusedWithWhatToDo) {
  redis_server redis;
  // An event as the previous seatgate wrote it: its zone in a key of its own.
  redis.command({"SADD", "sg:events", "old"});
  redis.command({"HSET", "sg:{e:old}:ev", "name", "Old", "status", "on_sale", "zones", "floor"});
  redis.command({"HSET", "sg:{e:old}:z:floor", "capacity", "10", "available", "10", "held", "0",
                 "sold", "0"});
  auto r = run_server(redis);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("older key layout"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--ephemeral"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("FLUSHALL"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\"msg\":\"ready\""), std::string::npos) << r.output;
  // Nothing was written: no version, the old data as it was.
  EXPECT_EQ(redis.command({"EXISTS", "sg:schema"})->integer, 0);
  EXPECT_EQ(get(redis, "sg:schema"), "");
  EXPECT_EQ(redis.command({"HLEN", "sg:{e:old}:z:floor"})->integer, 4);
}

TEST(Layout, AnotherVersionIsRefused) {
  // 1 and 2: the layouts before this one (2: reservation records without
  // seats, no fixed seat keys per event).
  for (const std::string old : {"1", "2"}) {
    redis_server redis;
    redis.command({"SET", "sg:schema", old});
    auto r = run_server(redis);
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find("sg:schema = " + old), std::string::npos) << r.output;
    EXPECT_EQ(get(redis, "sg:schema"), old);
  }
}

}  // namespace
}  // namespace seatgate::test
