// The C handle types behind seatgate.h's opaque pointers, shared by the C
// API's sources and its internal tests.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seatgate.h"
#include "seatgate/client.h"
#include "worker.h"

struct seatgate_error {
  seatgate_status_t status;
  seatgate::error e;
};

struct seatgate_options {
  seatgate::client_options o;
  std::string token;
  seatgate_token_provider_fn token_fn = nullptr;
  void* token_ud = nullptr;
  seatgate_retry_fn retry_fn = nullptr;
  void* retry_ud = nullptr;
  seatgate_random_fn random_fn = nullptr;
  void* random_ud = nullptr;
  seatgate_executor_fn executor_fn = nullptr;
  void* executor_ud = nullptr;
  seatgate::c_api::thread_hooks hooks;
  int async_threads = 4;
  seatgate_attempt_fn attempt_fn = nullptr;
  void* attempt_ud = nullptr;
  seatgate_log_fn log_fn = nullptr;
  void* log_ud = nullptr;
  // The request hook (seatgate_options_set_on_request).
  seatgate_request_fn request_fn = nullptr;
  void* request_ud = nullptr;
};

// What a request hook adds headers through; cleared when the hook returns.
struct seatgate_request_headers {
  const seatgate::request_info* r = nullptr;
};

struct seatgate_event {
  seatgate::event e;
};

struct seatgate_reservation {
  seatgate::reservation r;
};

struct seatgate_reservation_list {
  std::vector<seatgate_reservation> items;
};

struct seatgate_queue_state {
  seatgate::queue_state q;
};

struct seatgate_seat_map {
  seatgate::seat_map m;
};

// Holds the token's shared state: calls copy the shared_ptr, so freeing the
// handle never frees state a running call uses.
struct seatgate_cancel_token {
  seatgate::cancel_token t;
};

namespace seatgate::c_api {
// The C options as the C++ client's (callbacks wrapped, trailing '/' of the
// base URL dropped); defaults when o is NULL; nullopt when the base URL has
// no scheme.
std::optional<seatgate::client_options> client_options_of(const seatgate_options_t* o);
inline constexpr const char* kBadBaseUrl = "base URL must look like http://host:port";
}  // namespace seatgate::c_api

struct seatgate_client {
  std::unique_ptr<seatgate::client> c;
  seatgate_executor_fn executor_fn = nullptr;  // NULL: callbacks run on the worker
  void* executor_ud = nullptr;
  seatgate::c_api::thread_hooks hooks;  // also run on watch threads
  seatgate::c_api::worker w;  // declared after c: destroyed (joined) before the client
};
