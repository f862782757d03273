// The Redis a test runs against, chosen for the whole test process by the
// environment variable SEATGATE_TEST_REDIS:
// - unset or "single": each test_redis is a fresh redis-server of its own;
// - "cluster": each test_redis is the process's one Redis Cluster of 3
//   masters and 3 replicas (redis_cluster.h; started on first use, stopped
//   when the process exits), emptied first (FLUSHALL on every master).
// ctest runs the suites written on it twice, once each way; the cluster run
// is one process per suite, labelled "cluster" (tests/lua/CMakeLists.txt,
// tests/server/http/CMakeLists.txt).
#pragma once

#include "redis_cluster.h"

#include <memory>
#include <string>
#include <vector>

namespace seatgate::test {

// SEATGATE_TEST_REDIS=cluster.
bool cluster_run();

struct slot_table;

// A Redis Cluster seen as one endpoint. A link sends each command to the
// master serving its key (EVAL/EVALSHA: the first of KEYS), follows MOVED
// (reading the slot map again) and ASK, and waits out TRYAGAIN. FLUSHALL,
// FLUSHDB, SCRIPT, ACL and AUTH go to every master (AUTH also to the nodes
// the link reaches later); a command without a key (TIME, INFO, CONFIG,
// PING) goes to the node of the link's previous command, so "INFO
// commandstats" after a script call reads the node that ran it.
class cluster_endpoint : public redis_endpoint {
 public:
  explicit cluster_endpoint(redis_cluster& cluster);
  ~cluster_endpoint() override;
  std::string url() const override { return cluster_.url(); }
  std::unique_ptr<redis_link> link() const override;
  bool is_cluster() const override { return true; }
  std::string node_of(const std::string& key) const override;

  redis_cluster& cluster() const { return cluster_; }
  // The master serving `key`.
  unsigned short master_of_key(const std::string& key) const;
  // FLUSHALL on every master.
  void flush() const;

 private:
  redis_cluster& cluster_;
  std::shared_ptr<slot_table> table_;
};

// SEATGATE_TEST_REDIS's choice, empty.
class test_redis : public redis_endpoint {
 public:
  test_redis();
  std::string url() const override { return impl_->url(); }
  std::unique_ptr<redis_link> link() const override { return impl_->link(); }
  bool is_cluster() const override { return impl_->is_cluster(); }
  std::string node_of(const std::string& key) const override { return impl_->node_of(key); }
  // The cluster on a cluster run, else nullptr.
  cluster_endpoint* cluster() const { return cluster_; }

 private:
  std::unique_ptr<redis_endpoint> impl_;
  cluster_endpoint* cluster_ = nullptr;
};

}  // namespace seatgate::test
