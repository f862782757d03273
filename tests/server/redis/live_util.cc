#include "live_util.h"

#include "loopback.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace seatgate::redis::testing {

bool run_until(net::io_context& ioc, const std::function<bool()>& pred,
               std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred() && std::chrono::steady_clock::now() < deadline) {
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(5ms);
  }
  return pred();
}

void run_for(net::io_context& ioc, std::chrono::milliseconds d) {
  auto deadline = std::chrono::steady_clock::now() + d;
  run_until(
      ioc, [&] { return std::chrono::steady_clock::now() >= deadline; }, d + 1s);
}

options test_options(std::string url) {
  options o;
  o.url = std::move(url);
  o.connect_timeout = 500ms;
  o.command_timeout = 3s;
  o.backoff_min = 10ms;
  o.backoff_max = 100ms;
  return o;
}

tcp_redis::tcp_redis(std::string password) {
  char tmpl[] = "/tmp/seatgate-test-redis-tcp-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  port_ = test::free_port();
  std::vector<std::string> args = {"redis-server",
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--loglevel",
                                   "warning",
                                   "--daemonize",
                                   "no"};
  if (!password.empty()) {
    args.push_back("--requirepass");
    args.push_back(password);
  }
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("redis-server", argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    redisContext* c = redisConnect("127.0.0.1", port_);
    bool up = c && !c->err;
    if (c) redisFree(c);
    if (up) return;
    std::this_thread::sleep_for(10ms);
  }
  throw std::runtime_error("redis-server did not listen on port " + std::to_string(port_));
}

tcp_redis::~tcp_redis() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace seatgate::redis::testing
