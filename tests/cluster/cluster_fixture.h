// seatgate-server processes on a real Redis Cluster (3 masters, 3
// replicas), with events placed on chosen masters by their hash tag.
#pragma once

#include "api_client.h"
#include "race.h"
#include "redis/cluster/slot.h"
#include "redis_cluster.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace seatgate::test {

// The slot of every key of event `id` (store/keys.h: "sg:{e:<id>}:...").
inline int event_slot(const std::string& id) { return redis::cluster::key_slot("e:" + id); }

class ClusterHttp : public ::testing::Test {
 protected:
  std::unique_ptr<server_process> start_server(std::vector<std::string> args = {}) {
    server_process::options o;
    o.redis_url = cluster_.url();
    o.args = std::move(args);
    return std::make_unique<server_process>(o);
  }
  // An event id "<stem>-<n>" whose slot the master on `port` serves.
  std::string event_on(unsigned short port, const std::string& stem) {
    for (int i = 0; i < 100000; ++i) {
      std::string id = stem + "-" + std::to_string(i);
      if (cluster_.master_of(event_slot(id)) == port) return id;
    }
    return "";
  }
  // One event on each master.
  std::vector<std::string> events_on_every_master(const std::string& stem) {
    std::vector<std::string> out;
    for (auto port : cluster_.masters()) out.push_back(event_on(port, stem));
    return out;
  }

  redis_cluster cluster_;
};

// A retryable refusal: 503 with Retry-After.
inline bool retryable(const http_reply& r) {
  return r.status == 503 && !r.header("Retry-After").empty();
}

}  // namespace seatgate::test
