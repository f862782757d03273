// The demo's event (--demo, docs/operations.md): "demo-arena", created at
// start unless it exists, from --demo-seed FILE or the built-in config.
#pragma once

#include "config.h"
#include "inventory/service.h"

#include <boost/asio/awaitable.hpp>

namespace seatgate::demo {

inline constexpr const char* k_event_id = "demo-arena";

// Seeds the event; logs what it did (an invalid seed is logged, not fatal).
boost::asio::awaitable<void> seed(inventory::service& reservations, const config& cfg);

}  // namespace seatgate::demo
