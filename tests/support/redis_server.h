// A real redis-server for tests: started on a private Unix socket in a fresh
// temporary directory, stopped (and the directory removed) on destruction.
// It is one kind of redis_endpoint, the Redis a test talks to; the other is
// a Redis Cluster (test_redis.h), whose commands go to the node serving
// their key.
#pragma once

#include <hiredis/hiredis.h>

#include <initializer_list>
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

// A kept connection to a Redis; each command goes where its key lives.
class redis_link {
 public:
  virtual ~redis_link() = default;
  // Null only when the connection failed.
  virtual reply_ptr command(const std::vector<std::string>& argv) = 0;
};

// The Redis a test talks to: one redis-server, or a Redis Cluster.
class redis_endpoint {
 public:
  virtual ~redis_endpoint() = default;
  // What seatgate-server's --redis-url takes.
  virtual std::string url() const = 0;
  // A new kept connection.
  virtual std::unique_ptr<redis_link> link() const = 0;
  // True for a Redis Cluster of several nodes.
  virtual bool is_cluster() const { return false; }
  // The node serving `key` ("" for one redis-server: it serves every key).
  virtual std::string node_of(const std::string& /*key*/) const { return ""; }

  // Runs one command on a fresh link; argv are binary-safe strings.
  reply_ptr command(std::initializer_list<std::string> argv) const;
};

class redis_server : public redis_endpoint {
 public:
  // Starts redis-server and waits until it answers PING. Throws on failure.
  // With `append_only`, data survives stop()/start() (appendfsync always).
  // `extra_args` go to redis-server after the defaults.
  explicit redis_server(bool append_only = false, std::vector<std::string> extra_args = {});
  ~redis_server();
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  const std::string& socket_path() const { return socket_; }
  std::string url() const override { return "unix://" + socket_; }

  // A new synchronous connection (for test setup and inspection).
  context_ptr connect() const;
  std::unique_ptr<redis_link> link() const override;

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
