#include "redis_server.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace seatgate::test {

redis_server::redis_server(bool append_only, std::vector<std::string> extra_args)
    : append_only_(append_only), extra_args_(std::move(extra_args)) {
  char tmpl[] = "/tmp/seatgate-test-redis-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  socket_ = dir_ + "/redis.sock";
  start();
}

redis_server::~redis_server() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void redis_server::start() {
  if (pid_ > 0) return;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    std::vector<std::string> args = {"redis-server",
                                     "--port",
                                     "0",
                                     "--unixsocket",
                                     socket_,
                                     "--unixsocketperm",
                                     "700",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     append_only_ ? "yes" : "no",
                                     "--appendfsync",
                                     "always",
                                     "--dir",
                                     dir_,
                                     "--loglevel",
                                     "warning",
                                     "--logfile",
                                     dir_ + "/redis.log",
                                     "--daemonize",
                                     "no"};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("redis-server", argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    redisContext* c = redisConnectUnix(socket_.c_str());
    if (c && !c->err) {
      auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
      bool ok = r && r->type == REDIS_REPLY_STATUS;
      if (r) freeReplyObject(r);
      redisFree(c);
      if (ok) return;
    } else if (c) {
      redisFree(c);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("redis-server did not start on " + socket_);
}

void redis_server::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  std::error_code ec;
  std::filesystem::remove(socket_, ec);
}

context_ptr redis_server::connect() const {
  context_ptr c(redisConnectUnix(socket_.c_str()));
  if (!c || c->err) throw std::runtime_error("cannot connect to test redis");
  return c;
}

reply_ptr send_command(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> p;
  std::vector<size_t> l;
  for (const auto& a : argv) {
    p.push_back(a.data());
    l.push_back(a.size());
  }
  return reply_ptr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(p.size()), p.data(), l.data())));
}

namespace {

class direct_link : public redis_link {
 public:
  explicit direct_link(context_ptr c) : c_(std::move(c)) {}
  reply_ptr command(const std::vector<std::string>& argv) override {
    return send_command(c_.get(), argv);
  }

 private:
  context_ptr c_;
};

}  // namespace

std::unique_ptr<redis_link> redis_server::link() const {
  return std::make_unique<direct_link>(connect());
}

reply_ptr redis_endpoint::command(std::initializer_list<std::string> argv) const {
  return link()->command(std::vector<std::string>(argv));
}

}  // namespace seatgate::test
