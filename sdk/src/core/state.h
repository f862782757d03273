// Internal state of the core, shared by client_core and its operations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seatgate/core.h"
#include "seatgate/validation.h"

namespace seatgate::detail {

struct event_snapshot {
  event ev;
  std::int64_t fetched_at = 0;
};

struct usage_snapshot {
  std::int64_t used = 0;  // quantity held + confirmed by this user
  std::int64_t fetched_at = 0;
};

// The last seat map of a seated zone (get_seat_map), kept for If-None-Match
// and for reserve's seat checks.
struct seat_map_snapshot {
  seat_map map;
  std::int64_t fetched_at = 0;
};

// Token bucket for retries, refilled from the injected clock.
class retry_budget {
 public:
  explicit retry_budget(retry_budget_options o) : opts_(o), tokens_(o.capacity) {}
  bool try_take(std::int64_t now_ms);
  double tokens(std::int64_t now_ms);

 private:
  void refill(std::int64_t now_ms);
  retry_budget_options opts_;
  double tokens_;
  std::int64_t refilled_at_ = -1;
};

// A pass from an "admitted" answer, with the expiry that answer reported.
struct remembered_pass {
  std::string pass;
  std::string expires_at;  // RFC 3339, "" if the answer had none
};

struct core_state {
  core_state(core_options o, environment e)
      : opts(std::move(o)), env(std::move(e)), budget(opts.budget) {}
  const core_options opts;
  const environment env;

  std::mutex mu;  // guards everything below
  retry_budget budget;
  std::map<std::string, event_snapshot, std::less<>> events;
  std::map<std::string, usage_snapshot, std::less<>> usage;         // by event id
  std::map<std::string, remembered_pass, std::less<>> passes;       // by event id
  std::map<std::string, seat_map_snapshot, std::less<>> seat_maps;  // by seat_map_key

  std::int64_t now() const { return env.now_ms(); }
};

// Builds the request description of every operation kind (client_core.cc).
struct op_state {
  std::shared_ptr<core_state> core;
  operation_kind kind = operation_kind::get_event;
  std::string method;
  std::string path;
  std::string body;
  bool needs_auth = true;
  bool has_key = false;
  std::string key;
  bool caller_key = false;  // the caller chose the key: it may resume an earlier attempt
  std::string queue_pass;
  std::string pass_expires_at;   // of queue_pass, when the waiting room reported it
  std::optional<error> invalid;  // validation failure found at creation
  // reserve: kept for validation at start() and cache updates
  std::string event_id;
  std::string zone_id;
  std::int64_t quantity = 0;
  std::int64_t sold_out_wait_ms = -1;  // reserve_request::sold_out_wait_ms
  std::int64_t sold_out_waited_ms = 0;
  // reserve in a seated zone: the picked seats (quantity is their count)
  std::vector<std::string> seats;
  bool best_available = false;
  // get_seat_map: the ETag of the client's copy, sent as If-None-Match
  std::string if_none_match;

  // wait_for_pass
  wait_for_pass_options wait;
  bool joining = false;  // the current request is the join (POST), not GET queue/me

  enum class phase { idle, sending, waiting, finished } ph = phase::idle;
  int attempts = 0;  // requests sent, all of them
  int tries = 0;     // attempts of the current request (retry policy)
  std::int64_t started_at = 0;
  std::int64_t request_started_at = 0;  // first attempt of the current request
};

// wait_for_pass: make the next request the join (POST .../queue) or the
// position read (GET .../queue/me) (client_core.cc).
void set_queue_request(op_state& s, bool join);
// The operation table (client_core.cc): a 2xx answer decoded as the
// operation's result type, and the snapshot updates it implies.
result<operation_value> decode_result(const op_state& op, const http_response& r);
void remember(core_state& core, const op_state& op, const http_response& r,
              const operation_value& v);
// Reserve validation against the snapshots (core_state.cc).
std::optional<error> validate_against_snapshots(core_state& core, const op_state& op);

// --- Assigned seating (core_state.cc) ---
std::string seat_map_key(std::string_view event_id, std::string_view zone_id);
// Marks seats taken ('h' where they were 'a') in the zone's remembered map,
// after a hold of them or a seats_taken answer naming them.
void note_seats_taken(core_state& core, const op_state& op, const std::vector<std::string>& ids);

}  // namespace seatgate::detail
