// Writes outbox entries the way the status-change scripts do (docs/webhooks.md
// "The outbox"): XADD to the event's stream `sg:{e:E}:out` of the id, the
// event, the time and the reservation's record (store/record.h), and the
// event in the live-events registry.
#pragma once

#include "redis_server.h"
#include "store/record.h"

#include <cstdint>
#include <string>

namespace seatgate::test {

struct change {
  std::string event = "concert";
  std::string rid;           // the reservation id
  std::int64_t version = 1;  // 1 held, 2 confirmed/released/expired
  std::string user = "alice";
  std::string payment_ref;
};

inline std::string status_of(const std::string& type) { return type.substr(type.find('.') + 1); }

// The entry type of a change: version 1 is the hold, 2 its confirm, unless
// `second` names the second change.
inline std::string type_of(const change& c, const std::string& second = "reservation.confirmed") {
  return c.version == 1 ? "reservation.held" : second;
}

// Appends one entry; returns the stream id Redis gave it.
inline std::string feed(const redis_server& redis, const change& c, const std::string& type = {}) {
  const std::string t = type.empty() ? type_of(c) : type;
  const std::string now = std::to_string(1767225600000 + c.version);
  const std::string status = status_of(t);
  redis.command({"SADD", "sg:events", c.event});
  const store::record rec{status,          std::to_string(c.version),
                          "2",             "5000",
                          "1767225600000", "1767226080000",
                          status == "confirmed" ? now : "",
                          "floor",         "EUR",
                          c.user,          c.payment_ref,
                          ""};
  auto r = redis.command({"XADD", "sg:{e:" + c.event + "}:out", "*", "id", c.rid, "event_id",
                          c.event, "occurred_at", now, "record", store::record_text(rec)});
  return r && r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len) : std::string();
}

}  // namespace seatgate::test
