// Which node serves which slot, from a CLUSTER SLOTS reply. Pure: parsed
// and queried without a socket; the router (redis/cluster/router.h) keeps
// one per I/O thread and replaces it after every refresh.
#pragma once

#include "redis/reply.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::redis::cluster {

struct node_address {
  std::string host;
  int port = 0;

  std::string name() const { return host + ":" + std::to_string(port); }
  bool operator==(const node_address&) const = default;
};

// "host:port" (the host may itself hold colons: IPv6); nullopt when the
// port is missing or not 1..65535. An empty host is kept (Redis sends one
// when it does not know its own address: the caller fills it in).
std::optional<node_address> parse_address(std::string_view text);

struct shard {
  node_address master;
  std::vector<node_address> replicas;
};

class slot_map {
 public:
  // CLUSTER SLOTS: [[start, end, [host, port, id...], [replica...]...]...].
  // A node listed with an empty host is `asked_host` (the node that
  // answered). nullopt and a one-line reason when the shape is wrong.
  static std::optional<slot_map> parse(const reply& r, std::string_view asked_host,
                                       std::string* error = nullptr);

  // The shard serving `slot`, or nullptr when no node serves it.
  const shard* owner(int slot) const;
  // Every slot served.
  bool complete() const;
  // "slots 0-99,5000 are not served" ("" when complete()).
  std::string uncovered() const;
  const std::vector<shard>& shards() const { return shards_; }
  // A MOVED reply said `slot` now lives on `master`: serve it from there
  // until the next refresh (a new master gets a shard with no replicas).
  void assign(int slot, const node_address& master);

 private:
  std::vector<shard> shards_;
  std::vector<std::int16_t> owner_;  // per slot: index into shards_, -1 unserved
};

}  // namespace seatgate::redis::cluster
