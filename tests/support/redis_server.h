// A real redis-server for tests: started on a private Unix socket in a fresh
// temporary directory, stopped (and the directory removed) on destruction.
#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>
#include <sys/types.h>

namespace seatgate::test {

struct redis_context_deleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct redis_reply_deleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using context_ptr = std::unique_ptr<redisContext, redis_context_deleter>;
using reply_ptr = std::unique_ptr<redisReply, redis_reply_deleter>;

// Runs one command on `c`; argv are binary-safe strings. Null only when the
// connection failed.
reply_ptr send_command(redisContext* c, const std::vector<std::string>& argv);

class redis_server {
 public:
  // Starts redis-server and waits until it answers PING. Throws on failure.
  // With `append_only`, data survives stop()/start() (appendfsync always).
  // `extra_args` go to redis-server after the defaults.
  explicit redis_server(bool append_only = false, std::vector<std::string> extra_args = {});
  ~redis_server();
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  const std::string& socket_path() const { return socket_; }
  std::string url() const { return "unix://" + socket_; }

  // A new synchronous connection (for test setup and inspection).
  context_ptr connect() const;

  // Runs one command on a fresh connection; argv are binary-safe strings.
  reply_ptr command(std::initializer_list<std::string> argv) const;

  void stop();   // SIGKILL and wait: simulates a crash
  void start();  // start again on the same socket (data is not kept)
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }  // for CPU accounting (the strategy lab)

 private:
  std::string dir_;
  std::string socket_;
  pid_t pid_ = -1;
  bool append_only_ = false;
  std::vector<std::string> extra_args_;
};

}  // namespace seatgate::test
