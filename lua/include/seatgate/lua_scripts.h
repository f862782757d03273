// The embedded Lua scripts: generated from lua/*.lua at build time
// (cmake/embed_lua.cmake), each prefixed with lua/lib/prelude.lua (and the
// waiting-room scripts with lua/lib/room.lua).
#pragma once

#include <span>
#include <string_view>

namespace seatgate::lua {

// One entry per state change or atomic read. The order matches
// `all_scripts()`; `static_cast<size_t>(script)` indexes it.
enum class script {
  reserve_seats,
  confirm_reservation,
  release_reservation,
  read_reservation,
  list_reservations,
  expire_holds,
  upsert_event,
  set_event_status,
  read_event,
  read_audit,
  join_queue,  // waiting room (docs/waiting-room.md)
  queue_position,
  leave_queue,
  admit_queue,
  delete_pass,
  claim_queue_slot,    // on the user's slot, not the event's
  release_queue_slot,  // on the user's slot, not the event's
  peek_queue,
  // Assigned seating (docs/seating.md).
  read_seat_map,
  // Data lifecycle (docs/operations.md "Data lifecycle").
  purge_ended,
  archive_event,
};

struct script_source {
  std::string_view name;  // file stem, e.g. "reserve_seats"
  std::string_view text;  // full text sent with SCRIPT LOAD
};

std::span<const script_source> all_scripts();
const script_source& source(script s);

}  // namespace seatgate::lua
