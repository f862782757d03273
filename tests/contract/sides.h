// The two sides of the request-rules contract, behind one neutral interface:
// server_side.cc calls the server's validation (server/src/inventory/),
// sdk_side.cc the SDK core's (sdk/src/core/validation.cc). The server's and
// the SDK's error types share names (seatgate::error, seatgate::errc), so each
// side lives in its own translation unit and answers with plain strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace seatgate::contract {

// The rules both sides check (docs/request-rules.md).
enum class rule {
  event_id,
  zone_id,
  reservation_id,
  idempotency_key,
  queue_pass,
  payment_ref,
  quantity
};

// What one side made of one input: "" when accepted, else the code it
// refuses with (an API code on the server, validation_* in the SDK).
struct verdict {
  std::string code;
  bool accepted() const { return code.empty(); }
};

// `text` is the input for every rule but quantity, which takes `number`.
verdict server_check(rule r, std::string_view text, std::int64_t number);
verdict sdk_check(rule r, std::string_view text, std::int64_t number);

}  // namespace seatgate::contract
