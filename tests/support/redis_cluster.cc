#include "redis_cluster.h"

#include "loopback.h"

#include <algorithm>
#include <filesystem>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace seatgate::test {
namespace {

using clock = std::chrono::steady_clock;

pid_t spawn_child(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!log.empty()) {
      FILE* f = freopen(log.c_str(), "a", stdout);
      (void)f;
      dup2(STDOUT_FILENO, STDERR_FILENO);
    }
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

std::string text_of(const redisReply* r) {
  if (r == nullptr) return "";
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
      r->type == REDIS_REPLY_ERROR)
    return std::string(r->str, r->len);
  return "";
}

}  // namespace

redis_cluster::redis_cluster(int masters, int replicas_per_master) {
  char tmpl[] = "/tmp/seatgate-test-cluster-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  const auto n = static_cast<std::size_t>(masters * (1 + replicas_per_master));
  try {
    for (std::size_t i = 0; i < n; ++i) {
      ports_.push_back(free_port());
      bus_ports_.push_back(free_port());
      pids_.push_back(-1);
      spawn(i);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto deadline = clock::now() + std::chrono::seconds(10);
      while (true) {
        auto r = command(ports_[i], {"PING"});
        if (r && r->type == REDIS_REPLY_STATUS) break;
        if (clock::now() > deadline)
          throw std::runtime_error("redis-server did not start on port " +
                                   std::to_string(ports_[i]));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
    for (auto p : ports_) create.push_back("127.0.0.1:" + std::to_string(p));
    create.insert(create.end(),
                  {"--cluster-replicas", std::to_string(replicas_per_master), "--cluster-yes"});
    pid_t cli = spawn_child(create, dir_ + "/create.log");
    int status = 0;
    const auto deadline = clock::now() + std::chrono::seconds(30);
    while (waitpid(cli, &status, WNOHANG) == 0) {
      if (clock::now() > deadline) {
        kill(cli, SIGKILL);
        waitpid(cli, &status, 0);
        throw std::runtime_error("redis-cli --cluster create did not finish");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error("redis-cli --cluster create failed; see " + dir_ + "/create.log");
    if (!wait_ok()) throw std::runtime_error("the test cluster did not reach cluster_state:ok");
    // Every replica attached: each master lists its replicas.
    const auto attached = clock::now() + std::chrono::seconds(20);
    while (static_cast<int>(masters_with_replicas()) < masters && replicas_per_master > 0) {
      if (clock::now() > attached) throw std::runtime_error("replicas did not attach");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } catch (...) {
    stop_all();
    throw;
  }
}

redis_cluster::~redis_cluster() {
  stop_all();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void redis_cluster::spawn(std::size_t i) {
  const std::string port = std::to_string(ports_[i]);
  const std::string dir = dir_ + "/" + port;
  std::filesystem::create_directories(dir);
  pids_[i] = spawn_child({"redis-server",
                          "--port",
                          port,
                          "--bind",
                          "127.0.0.1",
                          "--cluster-enabled",
                          "yes",
                          "--cluster-port",
                          std::to_string(bus_ports_[i]),
                          "--cluster-config-file",
                          dir + "/nodes.conf",
                          "--cluster-node-timeout",
                          "1000",
                          "--cluster-replica-validity-factor",
                          "0",
                          "--dir",
                          dir,
                          "--save",
                          "",
                          "--appendonly",
                          "no",
                          "--loglevel",
                          "warning",
                          "--logfile",
                          dir + "/redis.log",
                          "--daemonize",
                          "no"},
                         "");
}

void redis_cluster::stop_all() {
  for (auto& pid : pids_) {
    if (pid <= 0) continue;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
  }
}

std::string redis_cluster::url() const {
  return "redis+cluster://127.0.0.1:" + std::to_string(ports_.at(0)) +
         ",127.0.0.1:" + std::to_string(ports_.at(1));
}

context_ptr redis_cluster::connect(unsigned short port) const {
  timeval tv{2, 0};
  context_ptr c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err)
    throw std::runtime_error("cannot connect to cluster node " + std::to_string(port));
  redisSetTimeout(c.get(), timeval{5, 0});
  return c;
}

reply_ptr redis_cluster::command(unsigned short port, const std::vector<std::string>& argv) const {
  timeval tv{2, 0};
  context_ptr c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err) return nullptr;
  redisSetTimeout(c.get(), timeval{5, 0});
  return send_command(c.get(), argv);
}

bool redis_cluster::alive(unsigned short port) const {
  for (std::size_t i = 0; i < ports_.size(); ++i)
    if (ports_[i] == port) return pids_[i] > 0;
  return false;
}

void redis_cluster::kill_node(unsigned short port) {
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    if (ports_[i] != port || pids_[i] <= 0) continue;
    kill(pids_[i], SIGKILL);
    int status = 0;
    waitpid(pids_[i], &status, 0);
    pids_[i] = -1;
  }
}

std::string redis_cluster::node_id(unsigned short port) const {
  return text_of(command(port, {"CLUSTER", "MYID"}).get());
}

reply_ptr redis_cluster::slots() const {
  for (std::size_t i = 0; i < ports_.size(); ++i) {
    if (pids_[i] <= 0) continue;
    auto r = command(ports_[i], {"CLUSTER", "SLOTS"});
    if (r && r->type == REDIS_REPLY_ARRAY) return r;
  }
  return nullptr;
}

unsigned short redis_cluster::master_of(int slot) const {
  auto r = slots();
  if (!r) return 0;
  for (std::size_t i = 0; i < r->elements; ++i) {
    const redisReply* range = r->element[i];
    if (range->elements < 3) continue;
    if (slot >= range->element[0]->integer && slot <= range->element[1]->integer)
      return static_cast<unsigned short>(range->element[2]->element[1]->integer);
  }
  return 0;
}

std::vector<unsigned short> redis_cluster::slot_owners() const {
  std::vector<unsigned short> out(16384, 0);
  auto r = slots();
  if (!r) return out;
  for (std::size_t i = 0; i < r->elements; ++i) {
    const redisReply* range = r->element[i];
    if (range->elements < 3) continue;
    auto port = static_cast<unsigned short>(range->element[2]->element[1]->integer);
    for (long long s = range->element[0]->integer; s <= range->element[1]->integer && s < 16384;
         ++s)
      out[static_cast<std::size_t>(s)] = port;
  }
  return out;
}

std::vector<unsigned short> redis_cluster::masters() const {
  std::vector<unsigned short> out;
  auto r = slots();
  if (!r) return out;
  for (std::size_t i = 0; i < r->elements; ++i) {
    const redisReply* range = r->element[i];
    if (range->elements < 3) continue;
    auto port = static_cast<unsigned short>(range->element[2]->element[1]->integer);
    if (std::find(out.begin(), out.end(), port) == out.end()) out.push_back(port);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t redis_cluster::masters_with_replicas() const {
  std::vector<unsigned short> out;
  auto r = slots();
  if (!r) return 0;
  for (std::size_t i = 0; i < r->elements; ++i) {
    const redisReply* range = r->element[i];
    if (range->elements < 4) continue;
    auto port = static_cast<unsigned short>(range->element[2]->element[1]->integer);
    if (std::find(out.begin(), out.end(), port) == out.end()) out.push_back(port);
  }
  return out.size();
}

bool redis_cluster::wait_ok(std::chrono::seconds limit, int slot) const {
  const auto deadline = clock::now() + limit;
  while (clock::now() < deadline) {
    bool ok = true;
    for (std::size_t i = 0; i < ports_.size() && ok; ++i) {
      if (pids_[i] <= 0) continue;
      auto r = command(ports_[i], {"CLUSTER", "INFO"});
      ok = r && text_of(r.get()).find("cluster_state:ok") != std::string::npos;
    }
    if (ok && slot >= 0) {
      unsigned short owner = master_of(slot);
      ok = owner != 0 && alive(owner);
    }
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void redis_cluster::move_slot(int slot, unsigned short to,
                              const std::function<void()>& between_batches) {
  const unsigned short from = master_of(slot);
  if (from == 0 || from == to) throw std::runtime_error("move_slot: bad source or target");
  const std::string s = std::to_string(slot);
  const std::string from_id = node_id(from), to_id = node_id(to);
  const auto expect_ok = [](const reply_ptr& r, const char* what) {
    if (!r || r->type == REDIS_REPLY_ERROR)
      throw std::runtime_error(std::string(what) + ": " + (r ? text_of(r.get()) : "no reply"));
  };
  expect_ok(command(to, {"CLUSTER", "SETSLOT", s, "IMPORTING", from_id}), "SETSLOT IMPORTING");
  expect_ok(command(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", to_id}), "SETSLOT MIGRATING");
  for (int batch = 0; batch < 100000; ++batch) {
    auto keys = command(from, {"CLUSTER", "GETKEYSINSLOT", s, "3"});
    expect_ok(keys, "GETKEYSINSLOT");
    if (keys->elements == 0) break;
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(to), "", "0",
                                        "5000",    "KEYS"};
    for (std::size_t i = 0; i < keys->elements; ++i) migrate.push_back(text_of(keys->element[i]));
    expect_ok(command(from, migrate), "MIGRATE");
    if (between_batches) between_batches();
  }
  // The target first, then the source, then the other masters (as
  // redis-cli does), so no node points the slot at a node that refuses it.
  expect_ok(command(to, {"CLUSTER", "SETSLOT", s, "NODE", to_id}), "SETSLOT NODE (target)");
  expect_ok(command(from, {"CLUSTER", "SETSLOT", s, "NODE", to_id}), "SETSLOT NODE (source)");
  for (auto m : masters())
    if (m != from && m != to) (void)command(m, {"CLUSTER", "SETSLOT", s, "NODE", to_id});
}

}  // namespace seatgate::test
