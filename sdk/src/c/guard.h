// Errors and exception guards shared by the C API's entry points: no
// exception crosses into C.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "handles.h"

namespace seatgate::c_api {

inline seatgate_status_t status_of(const seatgate::error& e) {
  const std::string& c = e.code;
  if (c.rfind("validation_", 0) == 0) return SEATGATE_ERR_VALIDATION;
  if (c == seatgate::errc::network) return SEATGATE_ERR_NETWORK;
  if (c == seatgate::errc::timeout) return SEATGATE_ERR_TIMEOUT;
  if (c == seatgate::errc::tls) return SEATGATE_ERR_TLS;
  if (c == seatgate::errc::cancelled) return SEATGATE_ERR_CANCELLED;
  if (c == seatgate::errc::deadline_exceeded) return SEATGATE_ERR_DEADLINE_EXCEEDED;
  if (c == seatgate::errc::retry_budget_exhausted) return SEATGATE_ERR_RETRY_BUDGET_EXHAUSTED;
  if (c == seatgate::errc::invalid_response) return SEATGATE_ERR_INVALID_RESPONSE;
  if (e.http_status > 0) return SEATGATE_ERR_SERVER;
  return SEATGATE_ERR_INTERNAL;
}

inline seatgate_status_t fail(seatgate_error_t** out, seatgate_status_t st, const char* code,
                              std::string message) {
  if (out) {
    *out = new (std::nothrow) seatgate_error{st, {}};
    if (*out) {
      (*out)->e.code = code;
      (*out)->e.message = std::move(message);
    }
  }
  return st;
}

inline seatgate_status_t fail(seatgate_error_t** out, const seatgate::error& e) {
  seatgate_status_t st = status_of(e);
  if (out) *out = new (std::nothrow) seatgate_error{st, e};
  return st;
}

inline seatgate_status_t invalid_arg(seatgate_error_t** out, const char* what) {
  return fail(out, SEATGATE_ERR_INVALID_ARGUMENT, "invalid_argument", what);
}

// Runs f, turning any exception into SEATGATE_ERR_INTERNAL.
template <class F>
inline seatgate_status_t guarded(seatgate_error_t** err, F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(err, SEATGATE_ERR_INTERNAL, "out_of_memory", "Out of memory.");
  } catch (const std::exception& e) {
    return fail(err, SEATGATE_ERR_INTERNAL, "internal", e.what());
  } catch (...) {
    return fail(err, SEATGATE_ERR_INTERNAL, "internal", "Unknown internal error.");
  }
}

inline std::string str(const char* s) { return s ? std::string(s) : std::string(); }

// A C sold_out_wait_ms (0 = the policy, < 0 = none, > 0 = at most) as the
// core's (< 0 = the policy, 0 = none, > 0 = at most).
inline std::int64_t sold_out_wait_of(std::int64_t c) { return c == 0 ? -1 : c < 0 ? 0 : c; }

// The seat fields of seatgate_reserve_options_t / seatgate_operation_params_t.
// A NULL entry becomes "" (refused as validation_unknown_seat).
inline void seats_of(const char* const* seats, std::size_t count, int best_available,
                     int allow_split, seatgate::operation_params& p) {
  if (seats)
    for (std::size_t i = 0; i < count; ++i) p.seats.emplace_back(seats[i] ? seats[i] : "");
  p.best_available = best_available != 0;
  p.allow_split = allow_split != 0;
}

}  // namespace seatgate::c_api
