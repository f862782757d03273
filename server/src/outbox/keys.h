// The Redis keys of the outbox's consumers (docs/redis-schema.md "Outbox and
// webhooks"). The endpoints are global; a delivery's state lives under its
// event's hash tag, beside the stream.
#pragma once

#include "store/keys.h"

#include <string>
#include <string_view>

namespace seatgate::outbox {

inline constexpr char k_endpoints_key[] = "sg:wh:endpoints";  // set of endpoint ids
// Manual retries of failed deliveries: a stream read like an outbox.
inline constexpr char k_retries_key[] = "sg:wh:retries";
inline constexpr char k_webhooks_group[] = "webhooks";
inline constexpr char k_pg_group[] = "pg";

inline std::string outbox_key(std::string_view event_id) {  // P out
  return store::event_prefix(event_id) + "out";
}
inline std::string endpoint_key(std::string_view id) {  // hash: url, events, ...
  return "sg:wh:ep:" + std::string(id);
}
inline std::string failed_key(std::string_view id) {  // hash: delivery id -> record
  return "sg:wh:failed:" + std::string(id);
}
// Per stream entry: endpoint -> ok | failed | <attempts>:<next ms>:<first ms>.
inline std::string state_key(std::string_view stream, std::string_view entry_id) {
  return std::string(stream) + ":st:" + std::string(entry_id);
}
// Per reservation: endpoint (or "*" for all) -> the last version settled.
inline std::string order_key(std::string_view event_id, std::string_view rid) {
  return store::event_prefix(event_id) + "who:" + std::string(rid);
}

}  // namespace seatgate::outbox
