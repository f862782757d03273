// The C handle for each result type the core decodes, shared by the
// C API's callers (operations.cc) and the step machine (step_api.cc).
#pragma once

#include <type_traits>
#include <utility>
#include <vector>

#include "handles.h"

namespace seatgate::c_api {

// The C handle for each result type the core decodes.
inline seatgate_event_t* wrap(seatgate::event v) { return new seatgate_event{std::move(v)}; }
inline seatgate_reservation_t* wrap(seatgate::reservation v) {
  return new seatgate_reservation{std::move(v)};
}
inline seatgate_queue_state_t* wrap(seatgate::queue_state v) {
  return new seatgate_queue_state{std::move(v)};
}
inline seatgate_seat_map_t* wrap(seatgate::seat_map v) {
  return new seatgate_seat_map{std::move(v)};
}
inline seatgate_reservation_list_t* wrap(std::vector<seatgate::reservation> v) {
  auto* l = new seatgate_reservation_list;
  l->items.reserve(v.size());
  for (auto& r : v) l->items.push_back(seatgate_reservation{std::move(r)});
  return l;
}

template <class H>
struct value_of;
template <>
struct value_of<seatgate_event_t> : std::type_identity<seatgate::event> {};
template <>
struct value_of<seatgate_reservation_t> : std::type_identity<seatgate::reservation> {};
template <>
struct value_of<seatgate_reservation_list_t>
    : std::type_identity<std::vector<seatgate::reservation>> {};
template <>
struct value_of<seatgate_queue_state_t> : std::type_identity<seatgate::queue_state> {};
template <>
struct value_of<seatgate_seat_map_t> : std::type_identity<seatgate::seat_map> {};

}  // namespace seatgate::c_api
