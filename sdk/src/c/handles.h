// C handle types the C API's internal tests look into (c_api.cc defines the
// others privately).
#pragma once

#include "seatgate.h"
#include "seatgate/client.h"

// Holds the token's shared state: calls copy the shared_ptr, so freeing the
// handle never frees state a running call uses.
struct seatgate_cancel_token {
  seatgate::cancel_token t;
};
