// The waiting room's call builders (docs/waiting-room.md): typed parameters
// in, the script with its KEYS and ARGV out, in the order of the script's
// header comment, like store/calls.h for the inventory. Every key a script
// touches is among its KEYS. Where a key depends on a value only Redis holds
// (the token in P qp:U, the owner of a pass), the caller names the value it
// believes; a script that finds another answers {"PASS", token} or
// {"OWNER", user} without writing, and the caller calls again with it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/calls.h"

namespace seatgate::store {

// `claim_gen` is the generation claim_queue_slot answered, passed back as it
// came. `pass`: the token the caller believes P qp:U names ("" = none).
script_call join_queue(std::string_view event_id, std::string_view user, std::string_view claim_gen,
                       std::string_view pass = {});
script_call queue_position(std::string_view event_id, std::string_view user,
                           std::string_view pass = {});
enum class leave_mode { leave, if_idle };
// claim_gen "" = none.
script_call leave_queue(std::string_view event_id, std::string_view user,
                        std::string_view claim_gen, leave_mode mode, std::string_view pass = {});

// The admission loop: peek_queue says which passes are due and who is next;
// admit_queue then prunes those and admits those, one fresh token per user
// (`tokens.size() == users.size()`).
script_call peek_queue(std::string_view event_id, number max_users, number max_due);
script_call admit_queue(std::string_view event_id, const std::vector<std::string>& due,
                        const std::vector<std::string>& users,
                        const std::vector<std::string>& tokens);

// `user`: the pass's user as the caller believes ("" = unknown).
script_call delete_pass(std::string_view event_id, std::string_view token,
                        std::string_view user = {});

// On the user's slot, not the event's.
script_call claim_queue_slot(std::string_view user, std::string_view event_id, number limit,
                             number grace_ms);
script_call release_queue_slot(std::string_view user, std::string_view event_id,
                               std::string_view claim_gen);

}  // namespace seatgate::store
