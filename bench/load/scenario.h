// What each operation sends: the scenarios of seatgate-load. One scenario
// object is shared by every worker thread; its counters are atomics.
//
//   reserve          POST /v1/reservations on a zone too large to sell out
//   reserve-confirm  the same, then POST /v1/reservations/{id}/confirm
//   flash-sale       reserve + confirm, each of --users users once, until
//                    the zone is sold out (confirmed == capacity)
//   event-read       GET /v1/events/{id}
#pragma once

#include "options.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seatgate::bench {

enum class request_kind : int { reserve = 0, confirm = 1, read = 2 };
inline constexpr int k_request_kinds = 3;
const char* name_of(request_kind k);

struct outgoing {
  request_kind kind = request_kind::reserve;
  std::string bytes;  // the whole HTTP/1.1 request
};

struct response_view {
  request_kind kind;
  int status;
  std::string_view body;
};

// The state of one operation (one or more requests on one connection).
struct op_state {
  std::uint64_t user = 0;
  int step = 0;
};

// Per worker: makes idempotency keys unique across workers and runs.
struct worker_ids {
  std::string key_prefix;
  std::uint64_t seq = 0;
};

class scenario {
 public:
  using clock = std::chrono::steady_clock;

  scenario(const options& opts, std::string run_id);

  // Fills the first request of a new operation; false when there is no
  // more work (flash sale: every user tried, or sold out).
  bool start(worker_ids& ids, op_state& op, outgoing& out);
  // Given a response, fills the next request of the operation and returns
  // true, or returns false when the operation is over.
  bool next(worker_ids& ids, op_state& op, const response_view& res, outgoing& out);

  request_kind first_kind() const {
    return opts_.scenario == scenario_kind::event_read ? request_kind::read : request_kind::reserve;
  }
  const std::string& event_id() const { return event_id_; }
  const std::string& zone_id() const { return zone_id_; }
  std::string event_config_json() const;

  // Shared progress of the run.
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> next_user{0};
  std::atomic<std::uint64_t> operations_started{0};
  std::atomic<std::uint64_t> confirmed_seats{0};
  std::atomic<std::int64_t> first_sold_out_ns{-1};  // since start_time
  std::atomic<std::int64_t> sold_out_ns{-1};        // confirmed == capacity
  std::atomic<bool> sold_out_final{false};          // a non-retryable sold_out
  clock::time_point start_time;

 private:
  std::string build(std::string_view method, std::string_view target, std::uint64_t user,
                    std::string_view idem_key, std::string_view body) const;
  std::string next_key(worker_ids& ids) const;
  std::int64_t since_start() const;

  const options& opts_;
  std::string run_id_;
  std::string event_id_;
  std::string zone_id_ = "z";
  std::string reserve_body_;
  std::vector<std::string> tokens_;  // "Bearer ..." per user
};

// The value of a top-level string field `"name":"value"` in a compact or
// spaced JSON object; empty when absent. Enough for the fields we read.
std::string_view json_string_field(std::string_view body, std::string_view name);

}  // namespace seatgate::bench
