// Reading an outbox stream through a consumer group (docs/webhooks.md "How
// delivery works"): entries new to the group, this consumer's pending ones,
// and the ones a dead consumer left idle too long; acknowledging; trimming
// what every group has acknowledged. On the caller's Redis connection.
#pragma once

#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace seatgate::outbox {

namespace net = boost::asio;

struct stream_entry {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;  // empty: deleted from the stream
};

class group_reader {
 public:
  group_reader(redis::connection& conn, std::string group, std::string consumer)
      : conn_(conn), group_(std::move(group)), consumer_(std::move(consumer)) {}

  // Creates the group at the stream's start (so no entry is missed); false
  // while the stream does not exist.
  net::awaitable<bool> ensure(const std::string& key);
  // Returns the entries this consumer holds, oldest first, their idle time
  // reset: the ones it held already, then, while fewer than `limit`, up to
  // `count` entries idle longer than `claim_idle` (a dead consumer's) and up
  // to `count` new ones. Never more than `limit` in all, so a consumer's
  // pending list, and what one round looks at, stay bounded however long a
  // receiver is down.
  net::awaitable<std::vector<stream_entry>> take(const std::string& key,
                                                 std::chrono::milliseconds claim_idle,
                                                 std::size_t count, std::size_t limit);
  net::awaitable<bool> ack(const std::string& key, const std::vector<std::string>& ids);

 private:
  redis::connection& conn_;
  std::string group_, consumer_;
  std::map<std::string, bool> known_;  // streams whose group exists
};

// Removes the entries every group of the stream has acknowledged, and
// returns, per group, the age in ms of its oldest entry not yet acknowledged
// (0 when none). Trims nothing while a group of `required` does not exist
// yet (a consumer that has not started must still find every entry).
net::awaitable<std::map<std::string, std::int64_t>> trim_consumed(
    redis::connection& conn, const std::string& key, std::int64_t now_ms,
    const std::vector<std::string>& required);

// This process's consumer name in the groups: "<host>:<pid>:<random>",
// new at every start (a restarted instance claims its old entries like any
// other's, after the idle time).
std::string consumer_name();

// The ms part of a stream id ("1700000000000-3" -> 1700000000000).
std::int64_t id_ms(const std::string& id);
// Stream id order ("1-9" < "1-10" < "2-0").
bool id_less(const std::string& a, const std::string& b);

}  // namespace seatgate::outbox
