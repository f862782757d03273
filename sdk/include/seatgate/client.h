// The native C++ client: the sans-IO core driven by a cpp-httplib transport
// (keep-alive connections, connect and per-attempt timeouts), a monotonic
// clock and getrandom(2).
//
// Every call is synchronous, returns result<T> and never throws. A client is
// thread-safe: calls from several threads run in parallel on separate
// keep-alive connections and share one retry budget.
//
//   seatgate::client_options o;
//   o.base_url = "http://127.0.0.1:8080";
//   o.token_provider = [] { return my_login_token(); };
//   seatgate::client c(o);
//   auto r = c.reserve({.event_id = "summer", .zone_id = "floor", .quantity = 2});
//   if (!r) std::cerr << r.error().code << ": " << r.error().message << "\n";
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "seatgate/core.h"
#include "seatgate/error.h"
#include "seatgate/types.h"
#include "seatgate/watch.h"

namespace seatgate {

namespace detail {
struct cancel_state;
class http_transport;
struct transport_outcome;
}  // namespace detail

// Cancels the calls it is passed to, from any thread: a call waiting in
// backoff returns "cancelled" at once; a call with a request in flight aborts
// that request and returns "cancelled". Copies share one state; once
// cancelled, a token stays cancelled. A call keeps its own reference to the
// state, so the token may be destroyed while calls use it, and a long-lived
// token holds nothing for calls that have finished.
class cancel_token {
 public:
  cancel_token();
  void cancel() const;
  bool cancelled() const;
  const std::shared_ptr<detail::cancel_state>& state() const { return state_; }

 private:
  std::shared_ptr<detail::cancel_state> state_;
};

// One attempt as it ended, for observability (client_options::on_attempt).
struct attempt_info {
  std::string method;
  std::string url;      // base URL + path
  int status = 0;       // 0: no response
  std::string failure;  // "" when a response came; else "network", "timeout", "tls", "cancelled"
  milliseconds elapsed{0};  // from handing the request over to its end
  std::string request_id;   // the response's X-Request-Id, "" if none
  // Which request it was, as request_info tells it before it is sent.
  std::string operation;        // "get_event", "reserve", ... (operation_name)
  int attempt = 0;              // 1 = first; on_retry's numbering
  std::string idempotency_key;  // reserve, confirm; "" otherwise
};

// One attempt about to be sent, for client_options::on_request (the request
// hook; on_attempt is its response hook). Valid only during the hook's call.
struct request_info {
  std::string_view operation;  // "get_event", "reserve", ... (operation_name)
  std::string_view method;
  std::string url;  // base URL + path
  int attempt = 0;  // 1 = first; each retry (same key, same body) counts up
  std::string_view idempotency_key;  // reserve, confirm; "" otherwise
  // Adds a header to this attempt only (tracing, A/B tags). Returns false
  // and adds nothing when the SDK owns the name or the header could break
  // the request (core.h, add_app_header: the SDK's own headers, framing
  // headers, a name already set, a bad name, CR/LF/NUL in the value).
  bool add_header(std::string_view name, std::string_view value) const;

 private:
  friend class client;
  http_request* request_ = nullptr;
};

// The log callback's levels (client_options::log).
enum class log_level {
  debug,  // every attempt: "GET http://host/v1/events/e -> 200 (12 ms, request id r-1)"
  info,   // every retry: "retrying (attempt 2) in 1000 ms after sold_out"
};

struct client_options {
  std::string base_url = "http://127.0.0.1:8080";  // scheme://host[:port], http or https
  // Returns the user's bearer token before every attempt ("" = none). Called
  // on the calling thread; must be thread-safe if the client is shared.
  std::function<std::string()> token_provider;
  milliseconds connect_timeout{3000};
  milliseconds request_timeout{10000};  // per attempt (clipped to the deadline)
  retry_policy retry;                   // 5 attempts, 100 ms base, 2 s cap, 15 s deadline
  retry_budget_options budget;          // 20 tokens, +2/s, shared by the whole client
  std::function<void(const retry_info&)> on_retry;  // on the calling thread
  std::string user_agent = "seatgate-sdk-cpp/0.1.0";
  milliseconds snapshot_max_age{5000};  // how long get_event's availability counts as fresh
  // Fills the buffer with cryptographically secure random bytes (idempotency
  // keys, jitter); empty: the OS CSPRNG (system_environment). Must not fail.
  std::function<void(std::uint8_t*, std::size_t)> random_bytes;
  // Told after every attempt (response or failure), on the calling thread.
  std::function<void(const attempt_info&)> on_attempt;
  // One line per attempt and per retry (log_level), on the calling thread.
  std::function<void(log_level, const std::string&)> log;

  // Request hook: told before every attempt is sent (retries included), on
  // the calling thread; may add headers of its own (request_info). What it
  // throws is caught and logged (info); the attempt goes ahead with what it
  // added. on_attempt is caught the same way.
  std::function<void(const request_info&)> on_request;
};

class client {
 public:
  explicit client(client_options options);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  result<event> get_event(std::string_view event_id, const cancel_token* cancel = nullptr);
  // Holds seats. The idempotency key (generated unless req.idempotency_key is
  // set) is sent on every attempt; a replay returns the same reservation.
  result<reservation> reserve(const reserve_request& req, const cancel_token* cancel = nullptr);
  result<reservation> get_reservation(std::string_view reservation_id,
                                      const cancel_token* cancel = nullptr);
  result<reservation> confirm(const confirm_request& req, const cancel_token* cancel = nullptr);
  result<reservation> release(std::string_view reservation_id,
                              const cancel_token* cancel = nullptr);
  // The user's reservations of one event; an empty id fails with
  // validation_event_id before the network.
  result<std::vector<reservation>> list_my_reservations(std::string_view event_id,
                                                        const cancel_token* cancel = nullptr);
  result<queue_state> join_queue(std::string_view event_id, const cancel_token* cancel = nullptr);
  result<queue_state> queue_status(std::string_view event_id, const cancel_token* cancel = nullptr);
  result<queue_state> leave_queue(std::string_view event_id, const cancel_token* cancel = nullptr);
  // Blocks until the waiting room admits the user (see
  // client_core::wait_for_pass): joins, then polls as the server's
  // poll_after_ms says (±20% jitter), calling options.on_position on this
  // thread for every "waiting" answer. Returns the "admitted" state (the pass
  // is also remembered: the next reserve of the event sends it by itself) or
  // "not_required" when the event has no waiting room. Fails on a
  // non-retryable error, after the retry policy gives up on one request,
  // with "deadline_exceeded" after options.deadline (default 30 min), or
  // with "cancelled" (at once, also mid-wait).
  result<queue_state> wait_for_pass(std::string_view event_id, wait_for_pass_options options = {},
                                    const cancel_token* cancel = nullptr);

  // A seated zone's seat map (docs/seating.md). The client keeps the last
  // map of each zone: the next call sends its ETag and a 304 answers with
  // that copy (not_modified set); reserve checks picked seats against it
  // (errc::validation_unknown_seat, _duplicate_seat, _seat_taken). Seats
  // are reserved with reserve_request::seats or best_available.
  result<seat_map> get_seat_map(std::string_view event_id, std::string_view zone_id,
                                const cancel_token* cancel = nullptr);

  // Live availability of an event (seatgate/watch.h): the stream, or polling
  // get_event while it is refused or down; on_update runs on the watch's own
  // thread. The watch polls with a client of its own made from this client's
  // options, so it may outlive this client.
  std::unique_ptr<availability_watch> watch_availability(
      std::string_view event_id, std::function<void(const availability_update&)> on_update,
      watch_options options = {}) const;

  // A fresh UUID v4 from the client's randomness, to persist before calling reserve/confirm
  // so a restarted app can resume the same operation.
  std::string new_idempotency_key() const;

  client_core& core() { return core_; }
  // Drives any operation of core() to its end on this thread (the typed
  // calls above do): the done step carries the decoded result.
  step run(operation op, const cancel_token* cancel = nullptr);

 private:
  void report(const operation& op, const step& s, const detail::transport_outcome& out,
              std::chrono::steady_clock::duration elapsed) const;
  void before_send(const operation& op, step& s) const;
  std::unique_ptr<detail::http_transport> transport_;
  client_options options_;  // as given (a watch makes its own client from them)
  std::string base_url_;
  std::function<void(const attempt_info&)> on_attempt_;
  std::function<void(log_level, const std::string&)> log_;
  std::function<void(const request_info&)> on_request_;
  environment env_;
  client_core core_;
};

// The environment a client uses: system_environment(), with o.random_bytes
// when set.
environment environment_of(const client_options& o);

// The core's share of the client's options (all but base_url and
// connect_timeout), for drivers that bring their own transport.
core_options to_core_options(const client_options& o);

// The native environment: steady_clock milliseconds and the OS CSPRNG,
// chosen when the SDK is compiled: arc4random_buf (Apple, Android, BSD),
// getrandom(2) with a /dev/urandom fallback (Linux), getentropy, or
// /dev/urandom.
environment system_environment();

}  // namespace seatgate
