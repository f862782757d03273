// The Redis Cluster client of one I/O thread (docs/operations.md, Redis
// Cluster): the same calls as one node (redis/node.h), routed by slot.
//
// - start() asks the seeds for CLUSTER SLOTS, then opens one pipelined
//   connection (redis/node.h, scripts loaded on connect) to every master;
//   other nodes get a connection when a redirect names them. The map is
//   refreshed every second, at once after a MOVED or a retryable failure,
//   and every master of a new map gets its connection (and so the scripts).
// - ready(): every slot is served and every master's connection is ready;
//   last_error() says why not (unreachable seeds, uncovered slots, a node
//   that refuses...).
// - eval() goes to the master of KEYS[1]'s slot (every key of a call shares
//   one hash tag); command() to the slot of argv[1], or any master for a
//   command without a key (PING, INFO). The reply is decided by
//   redis/cluster/redirect.h: MOVED updates the map and resends, ASK sends
//   ASKING + the command to the target once, TRYAGAIN / CLUSTERDOWN / a
//   node down resend after a backoff until options::command_timeout has
//   passed since the call, then the last failure is returned.
// - eval(..., durable): after a successful reply from a master that has
//   replicas in the map, WAIT 1 on the same connection; no acknowledgement
//   within half the command timeout -> errc::not_replicated.
// Single-threaded like the node: call it from its io_context's thread.
#pragma once

#include "redis/node.h"

#include <memory>
#include <string>
#include <vector>

namespace seatgate::redis::cluster {

class router {
 public:
  router(net::any_io_executor ex, std::vector<endpoint> seeds, options opts, stats& st);
  ~router();
  router(const router&) = delete;
  router& operator=(const router&) = delete;

  void start();
  void stop();
  bool ready() const noexcept;
  const std::string& last_error() const noexcept;

  net::awaitable<result> command(redis::command argv);
  net::awaitable<result> eval(lua::script s, std::vector<std::string> keys,
                              std::vector<std::string> args, bool read_only, bool durable);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace seatgate::redis::cluster
