// The waiting room's key names (docs/waiting-room.md), apart from the
// inventory's (store/keys.h) so that the two evolve separately. Every key a
// waiting-room script touches is built here and passed in KEYS. Pure.
#pragma once

#include <string>
#include <string_view>

#include "store/keys.h"

namespace seatgate::store {

// The room's keys on the event's slot; `queue`, `passes` and `pass` are
// event_keys' (the inventory scripts read them too).
class room_keys : public event_keys {
 public:
  explicit room_keys(std::string_view event_id) : event_keys(event_id) {}

  std::string queue_seq() const { return prefix() + "qseq"; }  // P qseq
  // P admits: "<second>:<count>", admissions in the last second with any.
  std::string admits() const { return prefix() + "admits"; }
  std::string user_pass(std::string_view user) const;     // P qp:<user>
  std::string user_revoked(std::string_view user) const;  // P qrv:<user>
};

// The user's own Cluster slot (the waiting-room claims).
std::string user_queues_key(std::string_view user);  // sg:{u:<user>}:queues
std::string user_gen_key(std::string_view user);     // sg:{u:<user>}:qgen

}  // namespace seatgate::store
