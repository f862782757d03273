// Drives the core synchronously: send with the transport, sleep on the
// cancel token's condition variable, hand back the result the core decoded.
#include "seatgate/client.h"

#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <variant>

#include "cancel.h"
#include "http_transport.h"

namespace seatgate {

environment environment_of(const client_options& o) {
  environment env = system_environment();
  if (o.random_bytes) env.random_bytes = o.random_bytes;
  return env;
}

core_options to_core_options(const client_options& o) {
  core_options c;
  c.retry = o.retry;
  c.budget = o.budget;
  c.request_timeout = o.request_timeout;
  c.snapshot_max_age = o.snapshot_max_age;
  c.token_provider = o.token_provider;
  c.on_retry = o.on_retry;
  if (o.log) {
    c.on_retry = [log = o.log, inner = o.on_retry](const retry_info& i) {
      log(log_level::info, "retrying (attempt " + std::to_string(i.attempt) + ") in " +
                               std::to_string(i.delay.count()) + " ms after " + i.reason);
      if (inner) inner(i);
    };
  }
  c.user_agent = o.user_agent;
  return c;
}

namespace {

// The core decoded the result; the driver only takes it out.
template <class T>
result<T> take(step s) {
  if (s.kind != step_kind::done) return std::move(s.err);
  if (auto* v = std::get_if<T>(&s.value)) return std::move(*v);
  error e;
  e.code = errc::invalid_state;
  e.message = "The operation finished with a result of another type.";
  return e;
}

}  // namespace

cancel_token::cancel_token() : state_(std::make_shared<detail::cancel_state>()) {}
void cancel_token::cancel() const { state_->cancel(); }
bool cancel_token::cancelled() const { return state_->cancelled(); }

client::client(client_options options)
    : transport_(
          std::make_unique<detail::http_transport>(options.base_url, options.connect_timeout)),
      options_(options),
      base_url_(options.base_url),
      on_attempt_(options.on_attempt),
      log_(options.log),
      on_request_(options.on_request),
      env_(environment_of(options)),
      core_(to_core_options(options), env_) {}

client::~client() = default;

std::string client::new_idempotency_key() const { return uuid_v4(env_); }

bool request_info::add_header(std::string_view name, std::string_view value) const {
  return request_ && add_app_header(*request_, name, value);
}

namespace {

// An app's hook must not break the call: what it throws is logged, not
// passed on.
template <class F>
void call_hook(const char* which, const std::function<void(log_level, const std::string&)>& log,
               F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    if (log) log(log_level::info, std::string(which) + " hook threw: " + e.what());
  } catch (...) {
    if (log) log(log_level::info, std::string(which) + " hook threw");
  }
}

}  // namespace

void client::before_send(const operation& op, step& s) const {
  request_info r;
  r.operation = operation_name(op.kind());
  r.method = s.request.method;
  r.url = base_url_ + s.request.path;
  r.attempt = s.attempt;
  r.idempotency_key = op.idempotency_key();
  r.request_ = &s.request;
  call_hook("on_request", log_, [&] { on_request_(r); });
}

void client::report(const operation& op, const step& s, const detail::transport_outcome& out,
                    std::chrono::steady_clock::duration elapsed) const {
  const http_request& rq = s.request;
  attempt_info a;
  a.method = rq.method;
  a.url = base_url_ + rq.path;
  a.operation = operation_name(op.kind());
  a.attempt = s.attempt;
  a.idempotency_key = op.idempotency_key();
  a.elapsed = std::chrono::duration_cast<milliseconds>(elapsed);
  if (out.response) {
    a.status = out.response->status;
    a.request_id = out.response->header("X-Request-Id");
  } else if (out.cancelled) {
    a.failure = errc::cancelled;
  } else {
    a.failure = out.failure == transport_failure::timeout ? errc::timeout
                : out.failure == transport_failure::tls   ? errc::tls
                                                          : errc::network;
  }
  if (on_attempt_) call_hook("on_attempt", log_, [&] { on_attempt_(a); });
  if (log_)
    log_(log_level::debug, a.method + " " + a.url + " -> " +
                               (a.status ? std::to_string(a.status) : a.failure) + " (" +
                               std::to_string(a.elapsed.count()) + " ms" +
                               (a.request_id.empty() ? "" : ", request id " + a.request_id) + ")");
}

step client::run(operation op, const cancel_token* cancel) {
  // Shared: the caller's token object may be destroyed while the call runs.
  const std::shared_ptr<detail::cancel_state> cs = cancel ? cancel->state() : nullptr;
  step s = op.start();
  for (;;) {
    switch (s.kind) {
      case step_kind::send: {
        if (on_request_) before_send(op, s);
        const auto t0 = std::chrono::steady_clock::now();
        auto out = transport_->perform(s.request, cs.get());
        if (on_attempt_ || log_) report(op, s, out, std::chrono::steady_clock::now() - t0);
        if (out.cancelled)
          s = out.sent ? op.cancel() : op.cancel_unsent();
        else if (out.response)
          s = op.on_response(*out.response);
        else
          s = op.on_transport_error(out.failure, out.detail);
        break;
      }
      case step_kind::wait:
        if (cs ? cs->sleep_for(s.delay) : (std::this_thread::sleep_for(s.delay), true))
          s = op.on_timer();
        else
          s = op.cancel();
        break;
      case step_kind::done:
      case step_kind::failed:
        return s;
    }
  }
}

result<event> client::get_event(std::string_view id, const cancel_token* c) {
  return take<event>(run(core_.get_event(id), c));
}

result<reservation> client::reserve(const reserve_request& req, const cancel_token* c) {
  return take<reservation>(run(core_.reserve(req), c));
}

result<reservation> client::get_reservation(std::string_view id, const cancel_token* c) {
  return take<reservation>(run(core_.get_reservation(id), c));
}

result<reservation> client::confirm(const confirm_request& req, const cancel_token* c) {
  return take<reservation>(run(core_.confirm(req), c));
}

result<reservation> client::release(std::string_view id, const cancel_token* c) {
  return take<reservation>(run(core_.release(id), c));
}

result<std::vector<reservation>> client::list_my_reservations(std::string_view event_id,
                                                              const cancel_token* c) {
  return take<std::vector<reservation>>(run(core_.list_reservations(event_id), c));
}

result<queue_state> client::join_queue(std::string_view event_id, const cancel_token* c) {
  return take<queue_state>(run(core_.join_queue(event_id), c));
}

result<queue_state> client::queue_status(std::string_view event_id, const cancel_token* c) {
  return take<queue_state>(run(core_.queue_status(event_id), c));
}

result<queue_state> client::wait_for_pass(std::string_view event_id, wait_for_pass_options options,
                                          const cancel_token* c) {
  return take<queue_state>(run(core_.wait_for_pass(event_id, std::move(options)), c));
}

result<queue_state> client::leave_queue(std::string_view event_id, const cancel_token* c) {
  return take<queue_state>(run(core_.leave_queue(event_id), c));
}

result<seat_map> client::get_seat_map(std::string_view event_id, std::string_view zone_id,
                                      const cancel_token* c) {
  return take<seat_map>(run(core_.get_seat_map(event_id, zone_id), c));
}

}  // namespace seatgate
