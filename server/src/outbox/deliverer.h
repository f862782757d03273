// The webhook delivery loop (docs/webhooks.md "How delivery works"). Every
// instance runs one, in the consumer group `webhooks` of each live event's
// outbox stream and of the manual-retry stream. An entry stays pending in
// the group until each endpoint that wants it has succeeded or failed for
// good, so a killed instance's entries are claimed by another after
// `claim_idle`. A later entry of a reservation waits for the earlier one at
// the same endpoint (the per-reservation order key). No HTTP here: the POST
// is the injected poster's.
#pragma once

#include "metrics/metrics.h"
#include "outbox/group.h"
#include "outbox/poster.h"
#include "outbox/schedule.h"
#include "outbox/webhook_store.h"
#include "redis/connection.h"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <set>
#include <string>

namespace seatgate::outbox {

struct delivery_options {
  std::string consumer;  // this instance's name in the groups
  std::chrono::milliseconds poll{200};
  std::chrono::milliseconds claim_idle{60000};
  retry_schedule schedule;
  bool allow_private = false;
  bool postgres = false;           // the `pg` group must have read an entry before it goes
  std::size_t batch = 100;         // entries taken per stream and round
  // Entries of one stream this consumer holds (pending) at most, and so
  // looks at per round (outbox/group.h).
  std::size_t max_pending = 1000;
  std::size_t max_in_flight = 64;  // POSTs at once
};

class deliverer : public std::enable_shared_from_this<deliverer> {
 public:
  deliverer(redis::connection& conn, metrics::registry& m, poster post, delivery_options o);

  // Runs until `stopping`, on the executor of the connection.
  net::awaitable<void> run(const std::atomic<bool>& stopping);

 private:
  struct work;
  // One pass over every live event's stream and the retry stream; true
  // when a stream filled its batch (more is waiting: the next pass starts
  // at once instead of after `poll`).
  net::awaitable<bool> round();
  // True when it took a full batch from the stream and settled some of it.
  net::awaitable<bool> serve_stream(const std::string& key, bool retries,
                                    const std::vector<endpoint>& endpoints);
  net::awaitable<void> deliver(std::shared_ptr<work> w);
  net::awaitable<bool> in_order(const work& w);

  redis::connection& conn_;
  metrics::registry& metrics_;
  webhook_store store_;
  poster post_;
  delivery_options opts_;
  group_reader reader_;
  std::set<std::string> in_flight_;  // delivery ids being posted now
};

}  // namespace seatgate::outbox
