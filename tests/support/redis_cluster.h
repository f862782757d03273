// A real Redis Cluster for tests: 3 masters and 3 replicas (redis-server
// --cluster-enabled yes, each on free loopback ports, in a fresh temporary
// directory), joined by `redis-cli --cluster create --cluster-replicas 1`.
// The constructor returns once every node reports cluster_state:ok; the
// destructor SIGKILLs every node and removes the directory. Each node also
// dies with the test process (PR_SET_PDEATHSIG), so a crashed test leaves
// no server behind.
#pragma once

#include "redis_server.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace seatgate::test {

class redis_cluster {
 public:
  // Throws (after stopping what it started) when the cluster cannot form.
  explicit redis_cluster(int masters = 3, int replicas_per_master = 1);
  ~redis_cluster();
  redis_cluster(const redis_cluster&) = delete;
  redis_cluster& operator=(const redis_cluster&) = delete;

  // redis+cluster://127.0.0.1:<first>,127.0.0.1:<second>
  std::string url() const;
  const std::vector<unsigned short>& ports() const { return ports_; }

  context_ptr connect(unsigned short port) const;  // throws when it cannot
  // One command on a fresh connection (nullptr when the node is down).
  reply_ptr command(unsigned short port, const std::vector<std::string>& argv) const;

  // From CLUSTER SLOTS of a live node.
  unsigned short master_of(int slot) const;
  std::vector<unsigned short> masters() const;
  // Per slot (0..16383), the port of the master serving it (0: none).
  std::vector<unsigned short> slot_owners() const;
  std::string node_id(unsigned short port) const;

  void kill_node(unsigned short port);  // SIGKILL and wait
  bool alive(unsigned short port) const;

  // Every live node answers cluster_state:ok and `master_of(slot)` agrees
  // (slot < 0: any). False when `limit` passes first.
  bool wait_ok(std::chrono::seconds limit = std::chrono::seconds(20), int slot = -1) const;

  // Moves `slot` to the master on `to` as redis-cli --cluster reshard does:
  // SETSLOT IMPORTING / MIGRATING, MIGRATE its keys a few at a time
  // (calling `between_batches` after each batch), then SETSLOT NODE on
  // every master.
  void move_slot(int slot, unsigned short to, const std::function<void()>& between_batches = {});

 private:
  void spawn(std::size_t i);
  // CLUSTER SLOTS of the first live node (nullptr when none answers).
  reply_ptr slots() const;
  std::size_t masters_with_replicas() const;
  void stop_all();
  std::string dir_;
  std::vector<unsigned short> ports_, bus_ports_;
  std::vector<pid_t> pids_;
};

}  // namespace seatgate::test
