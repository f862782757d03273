// Group commit for reserve and confirm (docs/decisions.md, "Group commit"):
// the reservation requests of one event that reach an I/O thread in the same
// turn of its event loop go to Redis as ONE reserve_seats call, which takes
// them one by one, in arrival order, exactly as separate calls would, and
// answers each; the confirms of one event likewise as one
// confirm_reservation call. No timer: the first request of a turn posts the flush behind
// whatever the loop already has ready, so at low load a request is sent at
// once (a batch of one) and under load a batch fills by itself.
//
// One per I/O thread, used only from that thread's io_context: no locks.
#pragma once

#include "domain/result.h"
#include "metrics/metrics.h"
#include "redis/connection.h"
#include "store/calls.h"

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace seatgate::inventory {

namespace net = boost::asio;

class group_commit {
 public:
  // `max_batch`: requests per call at most (1 = every request alone).
  group_commit(redis::connection& conn, metrics::registry& m, std::size_t max_batch)
      : conn_(conn), metrics_(m), max_batch_(max_batch ? max_batch : 1) {}

  // Runs one built reserve_seats or confirm_reservation call (of `event_id`),
  // alone or with others of the same script and event, and answers its own
  // reply as store::run would.
  net::awaitable<result<redis::reply>> run(const std::string& event_id, store::script_call call);

  std::size_t max_batch() const { return max_batch_; }

 private:
  struct waiter;
  struct queue {
    std::vector<std::shared_ptr<waiter>> waiting;
    bool flush_posted = false;
  };
  net::awaitable<void> flush(std::string key);
  net::awaitable<void> send(std::vector<std::shared_ptr<waiter>> batch);

  net::awaitable<result<redis::reply>> run_alone(store::script_call call);

  redis::connection& conn_;
  metrics::registry& metrics_;
  std::size_t max_batch_;
  // By script and event: "<script>:<event id>".
  std::unordered_map<std::string, queue> queues_;
};

}  // namespace seatgate::inventory
