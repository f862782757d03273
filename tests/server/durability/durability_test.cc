// The durable default (docs/operations.md "Durability"): what a confirm
// answered 200 promised survives a killed redis-server, a killed
// seatgate-server and a restarted demo; a data directory is used by one
// server at a time, and one that cannot be used stops the start with a clear
// message.
#include "api_client.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

namespace seatgate::test {
namespace {

// Reserve-then-confirm from several clients, each reservation by a user of
// its own, until stopped. Keeps every reservation whose confirm answered 200.
class confirm_traffic {
 public:
  confirm_traffic(const server_process& s, std::string event, int clients = 4)
      : event_(std::move(event)) {
    for (int t = 0; t < clients; ++t) threads_.emplace_back([this, &s, t] { run(s, t); });
  }
  ~confirm_traffic() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& th : threads_)
      if (th.joinable()) th.join();
  }
  std::size_t confirmed_count() const { return count_.load(); }
  // Waits (bounded) until at least n confirms were answered 200.
  bool wait_for(std::size_t n) const {
    for (int i = 0; i < 3000 && count_.load() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return count_.load() >= n;
  }
  // (user, reservation id) of every confirm answered 200.
  std::vector<std::pair<std::string, std::string>> confirmed() {
    std::lock_guard lock(mu_);
    return confirmed_;
  }

 private:
  void run(const server_process& s, int t) {
    api_client c(s);
    for (int i = 0; !stop_; ++i) {
      const std::string user = "buyer-" + std::to_string(t) + "-" + std::to_string(i);
      const std::string token = s.user_token(user);
      auto r = c.reserve(token, event_, "floor", 1, user + "-r");
      if (r.status != 201) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      const std::string rid = r.js()["id"];
      if (c.confirm(token, rid, user + "-c").status == 200) {
        std::lock_guard lock(mu_);
        confirmed_.emplace_back(token, rid);
        ++count_;
      }
    }
  }
  std::string event_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> count_{0};
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> confirmed_;
  std::vector<std::thread> threads_;
};

// Every confirm answered 200 reads back confirmed; the audit balances and
// counts at least those as sold.
void expect_all_confirmed(api_client& c, const std::string& event,
                          const std::vector<std::pair<std::string, std::string>>& confirmed) {
  ASSERT_FALSE(confirmed.empty());
  std::size_t lost = 0;
  for (const auto& [token, rid] : confirmed) {
    auto g = c.get(token, rid);
    if (g.status != 200 || g.js().value("status", "") != "confirmed") {
      if (++lost <= 5) ADD_FAILURE() << rid << ": " << g.status << " " << g.body;
    }
  }
  EXPECT_EQ(lost, 0u) << "of " << confirmed.size() << " confirms answered 200";
  auto z = counts(c, event);
  EXPECT_TRUE(z.consistent) << z.audit.dump();
  EXPECT_GE(z.sold, static_cast<long>(confirmed.size())) << z.audit.dump();
}

pid_t embedded_redis_pid(const server_process& s) {
  std::smatch m;
  const std::string log = s.log_text();
  if (!std::regex_search(log, m, std::regex("embedded redis started[^\\n]*\"pid\":([0-9]+)")))
    return -1;
  return std::stoi(m[1]);
}

TEST(Durability, ConfirmsSurviveAKilledEmbeddedRedis) {
  server_process server({});
  api_client c(server);
  ASSERT_EQ(c.put_event("kr", event_config(1'000'000, 600, 10, 10)).status, 201);
  const pid_t child = embedded_redis_pid(server);
  ASSERT_GT(child, 0) << server.log_text();

  confirm_traffic traffic(server, "kr");
  ASSERT_TRUE(traffic.wait_for(100));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  // The supervisor starts it again on the same data; traffic goes on.
  bool restarted = false;
  for (int i = 0; i < 300 && !restarted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    restarted = server.log_text().find("embedded redis restarted") != std::string::npos;
  }
  ASSERT_TRUE(restarted) << server.log_text();
  const std::size_t after_restart = traffic.confirmed_count();
  EXPECT_TRUE(traffic.wait_for(after_restart + 50)) << "confirms go on after the restart";
  traffic.stop();

  expect_all_confirmed(c, "kr", traffic.confirmed());
}

TEST(Durability, ConfirmsSurviveAKilledServerRestartedOnItsDataDir) {
  server_process server({});
  std::vector<std::pair<std::string, std::string>> confirmed;
  {
    api_client c(server);
    ASSERT_EQ(c.put_event("ks", event_config(1'000'000, 600, 10, 10)).status, 201);
    confirm_traffic traffic(server, "ks");
    ASSERT_TRUE(traffic.wait_for(200));
    server.kill_hard();  // SIGKILL mid-traffic: no drain, no clean stop of Redis
    traffic.stop();
    confirmed = traffic.confirmed();
  }
  server.restart();  // same --data-dir
  api_client c(server);
  expect_all_confirmed(c, "ks", confirmed);
  // And it sells on.
  const std::string token = server.user_token("after");
  EXPECT_EQ(c.reserve(token, "ks", "floor", 1, "after").status, 201);
}

TEST(Durability, RestartedDemoKeepsItsSoldSeats) {
  server_process::options o;
  o.demo = true;
  server_process server(o);
  long capacity = -1;
  {
    api_client c(server);
    const auto before = counts(c, "demo-arena");
    ASSERT_EQ(before.sold, 0) << before.audit.dump();
    capacity = before.capacity;
    const std::string token = server.user_token("demo-buyer");
    auto r = c.reserve(token, "demo-arena", "floor", 3, "d1");
    ASSERT_EQ(r.status, 201) << r.body;
    ASSERT_EQ(c.confirm(token, r.js()["id"], "d1c").status, 200);
    auto h = c.reserve(token, "demo-arena", "floor", 2, "d2");
    ASSERT_EQ(h.status, 201) << h.body;
  }
  ASSERT_EQ(server.terminate_and_wait(), 0);
  server.restart();
  api_client c(server);
  const auto after = counts(c, "demo-arena");
  EXPECT_TRUE(after.consistent) << after.audit.dump();
  EXPECT_EQ(after.sold, 3) << "the demo was seeded again over its sales: " << after.audit.dump();
  EXPECT_EQ(after.held, 2) << after.audit.dump();
  EXPECT_EQ(after.available, capacity - 5);
}

TEST(Durability, RestartedDemoStillAcceptsItsPagesTokens) {
  server_process::options o;
  o.demo = true;
  o.own_jwt_secret = true;
  server_process server(o);
  std::string token;
  {
    api_client c(server);
    auto t = c.send("POST", "/v1/demo/token", R"({"user":"tab-1"})");
    ASSERT_EQ(t.status, 200) << t.body;
    token = t.js()["token"];
    ASSERT_EQ(c.reserve(token, "demo-arena", "floor", 1, "t1").status, 201);
  }
  const std::string kept = server.data_dir() + "/demo-jwt-secret";
  struct stat st{};
  ASSERT_EQ(::stat(kept.c_str(), &st), 0) << kept;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(server.terminate_and_wait(), 0);
  server.restart();
  api_client c(server);
  // A page open across the restart goes on with the token it holds.
  auto again = c.reserve(token, "demo-arena", "floor", 1, "t2");
  EXPECT_EQ(again.status, 201) << again.body;
  auto replay = c.reserve(token, "demo-arena", "floor", 1, "t1");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.header("Idempotent-Replayed"), "true") << "the first hold, replayed";
}

std::string start_failure(server_process::options o) {
  try {
    server_process s(std::move(o));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(it started)";
}

TEST(Durability, ASecondServerOnALockedDataDirFailsAtStart) {
  server_process first({});
  const std::string msg = start_failure({.data_dir = first.data_dir()});
  EXPECT_NE(msg.find("is in use by another seatgate-server"), std::string::npos) << msg;
  // The first one is untouched.
  api_client c(first);
  EXPECT_EQ(c.send("GET", "/readyz").status, 200);
  ASSERT_EQ(c.put_event("lock", event_config(10)).status, 201);
}

TEST(Durability, ADataDirThatCannotBeUsedFailsAtStart) {
  char tmpl[] = "/tmp/seatgate-durability-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  // Its parent is a regular file: it cannot be created.
  std::ofstream(dir / "file") << "x";
  std::string msg = start_failure({.data_dir = (dir / "file" / "data").string()});
  EXPECT_NE(msg.find("cannot create the data directory"), std::string::npos) << msg;
  // It exists but cannot be written (root writes anywhere a mode allows: use /proc).
  std::string ro = (dir / "ro").string();
  if (::geteuid() == 0) {
    ro = "/proc/self";
  } else {
    std::filesystem::create_directory(ro);
    ::chmod(ro.c_str(), 0500);
  }
  msg = start_failure({.data_dir = ro});
  EXPECT_NE(msg.find("is not writable"), std::string::npos) << msg;
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  if (std::filesystem::exists(dir / "ro"))
    std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_all);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace seatgate::test
