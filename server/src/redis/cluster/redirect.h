// What the router does with one reply (docs/operations.md, Redis Cluster).
// Pure: decided from the error_code and the reply, without a socket.
//
//   done    a normal reply (also an ordinary error reply) or a failure that
//           must not be retried (timeout: the command may have run);
//   moved   "MOVED <slot> <host:port>": the slot lives elsewhere for good;
//           refresh the map and resend there;
//   ask     "ASK <slot> <host:port>": the slot is migrating and this key is
//           already on the target; send ASKING then the command there, once;
//   retry   "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "LOADING", "READONLY"
//           (a demoted master), or a command never sent / lost with its
//           connection: wait (backoff), refresh the map, resend while the
//           request's deadline allows.
#pragma once

#include "redis/cluster/slot_map.h"
#include "redis/reply.h"

#include <boost/system/error_code.hpp>
#include <chrono>

namespace seatgate::redis::cluster {

struct redirect {
  enum class action { done, moved, ask, retry };
  action what = action::done;
  int slot = -1;    // moved / ask
  node_address to;  // moved / ask (an empty host: the node that answered)
};

redirect decide(const boost::system::error_code& ec, const reply& r);

// The wait before retry number `attempt` (0, 1, ...): 10 ms doubling to
// at most 320 ms.
std::chrono::milliseconds retry_backoff(int attempt);

}  // namespace seatgate::redis::cluster
