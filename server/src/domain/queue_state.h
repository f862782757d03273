// A user's place in an event's waiting room (docs/waiting-room.md).
#pragma once

#include <cstdint>
#include <string>

namespace seatgate {

struct queue_state {
  enum class kind { waiting, admitted, not_required, not_joined, left };
  kind status = kind::not_joined;
  std::int64_t position = 0;       // waiting
  std::int64_t poll_after_ms = 0;  // waiting
  std::string pass;                // admitted: the queue pass
  std::int64_t pass_expires_at_ms = 0;
};

}  // namespace seatgate
