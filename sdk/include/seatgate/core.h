// seatgate's sans-IO client core: every rule of docs/sdk.md (validation,
// idempotency keys, retry classification, backoff, deadline, retry budget,
// cancellation) with no sockets, no clock and no randomness of its own.
// The same sources build natively and with Emscripten (-fno-exceptions, no
// threads).
//
// How a transport drives it
// -------------------------
//   seatgate::client_core core(options, env);     // env: clock + CSPRNG
//   seatgate::operation op = core.reserve(req);   // nothing happens yet
//   seatgate::step s = op.start();
//   for (;;) {
//     switch (s.kind) {
//       case step_kind::send:   // perform s.request (base URL + path, headers,
//                               // body, per-attempt timeout s.request.timeout)
//         s = got_response ? op.on_response(resp)
//                          : op.on_transport_error(transport_failure::timeout);
//         break;
//       case step_kind::wait:   // arm a timer for s.delay
//         s = op.on_timer();    // when it fires
//         break;
//       case step_kind::done:   // s.value is the decoded result (see
//         return s.value;               // operation_value), s.response the 2xx
//       case step_kind::failed: // s.err says why
//         return s.err;
//     }
//   }
// op.cancel() may be called instead of feeding the pending input (mid-request
// or mid-backoff); it returns a failed step with code "cancelled" and the
// transport should drop the in-flight request or timer. A transport that sees
// the cancellation before it hands a send step's request to the network calls
// op.cancel_unsent() instead, so the request is not counted in attempts. Each input must only
// be given while the operation waits for it (on_response/on_transport_error
// after send, on_timer after wait); any other input yields a failed step.
//
// The client_core holds the state shared by its operations: the retry budget,
// the last event snapshots (availability, max_per_order) and known user
// allowances used by validation, and queue passes. An operation keeps that
// state alive (shared ownership), so it may outlive the client_core.
// Operations of one client_core may run interleaved on one thread; the
// shared state is guarded by a mutex, so native drivers may also run them on
// several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "seatgate/error.h"
#include "seatgate/types.h"

namespace seatgate {

using milliseconds = std::chrono::milliseconds;
using header_list = std::vector<std::pair<std::string, std::string>>;

// Output: a request to perform. path is absolute ("/v1/...") and must be
// appended to the base URL; headers are complete (Authorization,
// Content-Type, Idempotency-Key, Queue-Pass, User-Agent when set).
struct http_request {
  std::string method;
  std::string path;
  header_list headers;
  std::string body;
  milliseconds timeout{0};  // whole attempt, already clipped to the deadline
  std::string header(std::string_view name) const;  // case-insensitive, "" if absent
};

// Input: a response (any status).
struct http_response {
  int status = 0;
  header_list headers;
  std::string body;
  std::string header(std::string_view name) const;  // case-insensitive, "" if absent
};

// Input: the request got no response.
enum class transport_failure {
  network,  // connection refused/reset, DNS, TLS handshake, sent without an answer
  timeout,  // no complete response within http_request::timeout
  tls,      // the server's certificate was refused: fails at once, never retried
};

struct retry_policy {
  int max_attempts = 5;          // requests per operation, first included
  milliseconds base_delay{100};  // retry n (0-based) waits random(0, min(cap, base·2^n))
  milliseconds max_delay{2000};  // cap
  milliseconds deadline{15000};  // from start(); no attempt or wait beyond it
};

// Client-wide token bucket: a retry costs one token; tokens refill with time.
// Defaults: 20 tokens, +2 per second. When empty, an operation that would
// retry fails with "retry_budget_exhausted" instead. capacity <= 0 disables it.
struct retry_budget_options {
  double capacity = 20.0;
  double refill_per_second = 2.0;
};

struct retry_info {
  int attempt = 0;        // the attempt about to be made (2..max_attempts)
  milliseconds delay{0};  // how long the SDK waits before it
  std::string reason;     // code of the failure that caused it ("sold_out", "timeout", ...)
  int http_status = 0;    // of that failure, 0 for transport failures
};

// Injected effects. Both must be set.
struct environment {
  std::function<std::int64_t()> now_ms;                          // monotonic milliseconds
  std::function<void(std::uint8_t*, std::size_t)> random_bytes;  // CSPRNG
};

struct core_options {
  retry_policy retry;
  retry_budget_options budget;
  milliseconds request_timeout{10000};  // per attempt
  milliseconds snapshot_max_age{5000};  // availability snapshot counts as fresh
  // Called before every attempt of an authenticated call; "" sends no
  // Authorization header. Must not throw.
  std::function<std::string()> token_provider;
  // Called when the core schedules a retry (from the thread driving it).
  std::function<void(const retry_info&)> on_retry;
  std::string user_agent;  // "" = no User-Agent header
};

// A waiting-room position, as reported by wait_for_pass before each poll.
struct queue_position {
  std::int64_t position = 0;     // 1 = the next to be admitted
  milliseconds poll_after{0};    // what the server asked for
  milliseconds next_poll_in{0};  // what the SDK will wait: poll_after with jitter
};

// Options of client_core::wait_for_pass.
struct wait_for_pass_options {
  // Overall deadline from start(): fails "deadline_exceeded" when the next
  // poll would come after it. Default 30 minutes, the length of a long
  // flash-sale queue; <= 0 means no overall deadline.
  milliseconds deadline{30 * 60 * 1000};
  // Each wait is poll_after_ms × (1 ± jitter), drawn uniformly from the
  // injected randomness, so clients told the same value spread their polls.
  // poll_after_ms is first clamped to [250 ms, 60 s] (1 s when absent).
  double jitter = 0.2;
  // true: start with POST .../queue (join; idempotent, keeps the first
  // place). false: start with GET .../queue/me (resume: read the position)
  // and join only if the answer is "not_joined".
  bool join = true;
  // Told every "waiting" answer, before the wait, on the thread driving the
  // operation. Must not throw. The same value is in the wait step's
  // `position`.
  std::function<void(const queue_position&)> on_position;
};

enum class step_kind { send, wait, done, failed };

// The typed result of a finished operation, decoded by the core from the
// final 2xx response (sdk/src/core/operations.cc holds the table):
//   event                     get_event
//   reservation               reserve, get_reservation, confirm, release
//                             (replayed: the answer had Idempotent-Replayed: true)
//   std::vector<reservation>  list_reservations
//   queue_state               join_queue, queue_status, wait_for_pass,
//                             leave_queue ({"status":"left"})
//   seat_map                  get_seat_map (a 304 answer: the client's copy,
//                             not_modified set)
// A 2xx answer that does not decode fails the operation with
// "invalid_response" instead.
using operation_value = std::variant<std::monostate, event, reservation, std::vector<reservation>,
                                     queue_state, seat_map>;

// The result as JSON: the to_json of its type (types.h), "null" when empty.
// Every driver that serialises results (WebAssembly, the CLI) uses it.
std::string to_json(const operation_value& v);

struct step {
  step_kind kind = step_kind::failed;
  http_request request;                    // send
  int attempt = 0;  // send: this request's attempt, 1 = first (on_retry's numbering)
  milliseconds delay{0};                   // wait
  std::optional<queue_position> position;  // wait: set when polling a waiting room (not a retry)
  http_response response;                  // done (2xx)
  operation_value value;                   // done: the decoded result
  seatgate::error err;                     // failed
};

enum class operation_kind {
  get_event,
  reserve,
  get_reservation,
  confirm,
  release,
  list_reservations,
  join_queue,
  queue_status,
  leave_queue,
  wait_for_pass,
  get_seat_map,
};

// An operation's name as drivers and JavaScript see it: "get_event",
// "reserve", ... (the enumerator's name).
std::string_view operation_name(operation_kind k);
std::optional<operation_kind> operation_from_name(std::string_view name);

// Every operation's inputs in one value, for drivers that build operations
// by name (WebAssembly, the C API, test vectors): each kind reads only its
// own fields (event_id or reservation_id; reserve and confirm their request's
// fields; wait_for_pass also `wait`).
struct operation_params {
  std::string event_id;
  std::string zone_id;
  std::int64_t quantity = 0;
  std::string reservation_id;
  std::string idempotency_key;
  std::string queue_pass;
  std::optional<std::string> payment_ref;
  std::int64_t sold_out_wait_ms = -1;  // reserve: see reserve_request
  wait_for_pass_options wait;
  // reserve in a seated zone (get_seat_map reads event_id and zone_id)
  std::vector<std::string> seats;
  bool best_available = false;
  bool allow_split = false;
};

// Parameters from JSON, as drivers receive them across a language boundary:
// {"event_id","zone_id","quantity","reservation_id","idempotency_key",
// "queue_pass","payment_ref","sold_out_wait_ms","deadline_ms" (<= 0: none),"jitter","join",
// "seats","best_available","allow_split"}.
// Absent or mistyped fields keep their defaults.
operation_params operation_params_from_json(std::string_view json);

namespace detail {
struct core_state;
struct op_state;
}  // namespace detail

class operation {
 public:
  operation(operation&&) noexcept;
  operation& operator=(operation&&) noexcept;
  ~operation();

  operation_kind kind() const;
  // The key sent on every attempt (reserve, confirm), "" for other kinds.
  const std::string& idempotency_key() const;
  int attempts() const;
  bool finished() const;

  step start();  // validation, then first send
  step on_response(const http_response& r);
  step on_transport_error(transport_failure f, std::string_view detail = {});
  step on_timer();
  step cancel();  // failed "cancelled" unless finished
  // cancel() for a send step whose request was never sent (the caller saw the
  // cancellation first): the request is not counted in attempts.
  step cancel_unsent();

 private:
  friend class client_core;
  explicit operation(std::unique_ptr<detail::op_state> s);
  std::unique_ptr<detail::op_state> s_;
};

class client_core {
 public:
  client_core(core_options options, environment env);
  ~client_core();
  client_core(const client_core&) = delete;
  client_core& operator=(const client_core&) = delete;

  operation get_event(std::string_view event_id);
  operation reserve(const reserve_request& req);
  operation get_reservation(std::string_view reservation_id);
  operation confirm(const confirm_request& req);
  operation release(std::string_view reservation_id);
  // The user's reservations of one event (the server lists per event; an
  // empty id fails validation_event_id).
  operation list_reservations(std::string_view event_id);
  operation join_queue(std::string_view event_id);
  operation queue_status(std::string_view event_id);
  operation leave_queue(std::string_view event_id);
  // Waits in the event's waiting room until admitted (docs/waiting-room.md): joins (or,
  // with options.join = false, reads the position first), then polls
  // GET .../queue/me after each answer's poll_after_ms with jitter, reporting
  // each position. Done with the final 2xx response, whose body
  // (parse_queue_state) is {"status":"admitted","queue_pass",...} — the pass
  // is remembered and sent by the next reserve of the event — or
  // {"status":"not_required"} when the room is off. A "not_joined" answer
  // (e.g. the user's place or unused pass expired) joins again.
  // Each request is retried by the retry policy (attempts, backoff, budget,
  // and the policy's deadline counted from that request's first attempt);
  // a successful answer starts the count afresh. Non-retryable errors (404
  // event_not_found, 409 queue_limit_exceeded, 401, ...) fail at once.
  // cancel() works while a request is in flight or during any wait.
  operation wait_for_pass(std::string_view event_id, wait_for_pass_options options = {});
  // --- Assigned seating (docs/seating.md) ---
  // A seated zone's seat map. The core keeps the last map of each zone: the
  // next fetch sends its ETag as If-None-Match and a 304 answers with that
  // copy (not_modified set); reserve checks picked seats against it
  // (validate_seats: unknown seats always, taken seats while the map is
  // younger than snapshot_max_age). A hold or a seats_taken answer marks its
  // seats taken in that copy. Public: no token needed.
  operation get_seat_map(std::string_view event_id, std::string_view zone_id);

  // Any of the above by kind, from generic parameters.
  operation create(operation_kind kind, const operation_params& params);

  // Tokens left in the retry budget now (for observability and tests).
  double retry_budget_tokens() const;
  const core_options& options() const;

 private:
  std::shared_ptr<detail::core_state> state_;
};

// UUID v4 (RFC 9562) from 16 random bytes: version and variant bits set,
// lowercase "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
std::string uuid_v4(const std::uint8_t (&random)[16]);
std::string uuid_v4(const environment& env);
bool is_uuid_v4(std::string_view s);

// docs/sdk.md classification: true for 409 with retryable:true, 429, 500, 502,
// 503, 504 (and, separately, every transport_failure).
bool is_retryable_status(int status, bool body_says_retryable);

// ---- request hooks (docs/sdk.md, "Request and response hooks") -------------
// The one change an app's request hook may make to a send step's request:
// add a header of its own (tracing, A/B tags). Refused, leaving the request
// unchanged, are a name that is not an HTTP token (RFC 9110), a value with
// CR, LF or NUL, a name already in the request (the SDK's own headers and
// what the hook added before) and the names the SDK or the transport owns
// (Accept, Authorization, Connection, Content-Length, Content-Type, Expect,
// Host, Idempotency-Key, Keep-Alive, Queue-Pass, TE, Trailer,
// Transfer-Encoding, Upgrade, User-Agent). Every face's hook goes through
// it: the native clients and the WebAssembly build.
bool add_app_header(http_request& request, std::string_view name, std::string_view value);

}  // namespace seatgate
