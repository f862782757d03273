// Call builder samples for the header contract test (calls_test.cc): one or
// more calls per script, with the value of each placeholder and argument
// its header names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "header.h"
#include "store/calls.h"

namespace seatgate::test {

namespace store = seatgate::store;

inline const std::string k_event = "ev-1";
// A ':' inside: the idempotency key's length sets it apart.
inline const std::string k_user = "al:ice";
inline const std::string k_rid = "ev-1.rid";

struct sample {
  store::script_call call;
  bindings bind;  // the value of each placeholder and argument the header names
};
using sample_map = std::map<std::string, std::vector<sample>>;

// P, U, len(U), R, event and zone for the values above, then `more`.
bindings with(bindings more);

// The waiting-room scripts' samples (room_calls_test.cc).
void add_room_samples(sample_map& s);

}  // namespace seatgate::test
