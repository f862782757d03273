// The Redis client of one I/O thread, as the services see it: one node
// (redis://, unix://; redis/node.h says how it connects, reconnects, loads
// the scripts and fails) or a Redis Cluster (redis+cluster://; routed by
// slot, redis/cluster/router.h). The calls and their errors are the same
// either way, so nothing above this layer knows which it is.
//
// - eval(..., durable): a write a buyer is told about. On a cluster whose
//   master has replicas it is acknowledged only after WAIT 1 (a timeout is
//   errc::not_replicated); on a single Redis it is an ordinary call.
// - Single-threaded: call it from its io_context's thread; destroy it
//   before that io_context. stop() and the destructor are safe with calls
//   in flight (they complete with errc::shutting_down).
#pragma once

#include "redis/node.h"

#include <memory>
#include <string>
#include <vector>

namespace seatgate::redis {

namespace cluster {
class router;
}

class connection {
 public:
  // Throws std::invalid_argument when opts.url is not a valid Redis URL
  // (see redis/url.h). `st` must outlive the connection and every
  // coroutine still running one of its commands.
  connection(net::any_io_executor ex, options opts, stats& st);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Starts the background connect loop (once; a no-op after stop()).
  void start();
  // Stops reconnecting, closes the connections, fails pending commands with
  // errc::shutting_down. Idempotent.
  void stop();
  // Connected and every script loaded (a cluster: every slot served and
  // every master connected). Safe to read from any thread.
  bool ready() const noexcept;
  // Why not ready(); empty while ready(). Read it on the connection's thread.
  const std::string& last_error() const noexcept;
  // A redis+cluster:// URL.
  bool clustered() const noexcept { return router_ != nullptr; }

  // Sends argv (binary-safe) as one command.
  net::awaitable<result> command(redis::command argv);
  // EVALSHA sha(s) #keys keys... args... (EVALSHA_RO when `read_only`).
  net::awaitable<result> eval(lua::script s, std::vector<std::string> keys,
                              std::vector<std::string> args, bool read_only = false,
                              bool durable = false);

  // SHA1 of a script as loaded (known before the first connect).
  const std::string& sha(lua::script s) const;

 private:
  std::unique_ptr<node> node_;
  std::unique_ptr<cluster::router> router_;
};

}  // namespace seatgate::redis
