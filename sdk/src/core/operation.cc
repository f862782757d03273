// The operation state machine: send → (response | transport failure) →
// done | failed | wait → (timer) → send ...
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "state.h"

namespace seatgate {
namespace {

using json = nlohmann::json;
using detail::op_state;
using phase = op_state::phase;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string find_header(const header_list& h, std::string_view name) {
  for (const auto& [k, v] : h)
    if (iequals(k, name)) return v;
  return {};
}

// Retry-After in delay-seconds (HTTP-dates are not used by seatgate).
long long retry_after_ms(const http_response& r) {
  std::string v = find_header(r.headers, "Retry-After");
  while (!v.empty() && v.back() == ' ') v.pop_back();
  std::size_t i = 0;
  while (i < v.size() && v[i] == ' ') ++i;
  long long secs = -1;
  auto [p, ec] = std::from_chars(v.data() + i, v.data() + v.size(), secs);
  if (ec != std::errc() || p != v.data() + v.size() || secs < 0) return -1;
  return std::min<long long>(secs, 24 * 3600) * 1000;
}

const char* status_code_name(int status) {
  switch (status) {
    case 429:
      return errc::rate_limited;
    case 500:
      return errc::internal;
    case 502:
      return errc::bad_gateway;
    case 503:
      return errc::unavailable;
    case 504:
      return errc::gateway_timeout;
    default:
      return errc::http_error;
  }
}

// An error response → error value, classified per docs/sdk.md.
error from_response(const http_response& r) {
  error e;
  e.http_status = r.status;
  e.request_id = find_header(r.headers, "X-Request-Id");
  e.retry_after_ms = retry_after_ms(r);
  bool body_retryable = false;
  json j = json::parse(r.body.begin(), r.body.end(), nullptr, false);
  if (j.is_object()) {
    auto str = [&](const char* key) -> std::string {
      auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    e.code = str("code");
    e.pass_expires_at = str("pass_expires_at");
    e.message = str("detail");
    if (e.message.empty()) e.message = str("title");
    auto rt = j.find("retryable");
    body_retryable = rt != j.end() && rt->is_boolean() && rt->get<bool>();
    if (auto tk = j.find("taken"); tk != j.end() && tk->is_array())
      for (const auto& id : *tk)
        if (id.is_string()) e.taken.push_back(id.get<std::string>());
  }
  if (e.code.empty()) e.code = status_code_name(r.status);
  if (e.message.empty()) e.message = "The server answered HTTP " + std::to_string(r.status) + ".";
  e.retryable = is_retryable_status(r.status, body_retryable);
  // No block of adjacent seats now: asking again at once cannot find one.
  if (e.code == errc::no_adjacent_seats) e.retryable = false;
  return e;
}

step failed(op_state& s, error e) {
  s.ph = phase::finished;
  e.attempts = s.attempts;
  step out;
  out.kind = step_kind::failed;
  out.err = std::move(e);
  return out;
}

// Misuse of the state machine: reported, state unchanged.
step misuse(const op_state& s, const char* what) {
  step out;
  out.kind = step_kind::failed;
  out.err.code = errc::invalid_state;
  out.err.message = std::string("operation: ") + what;
  out.err.attempts = s.attempts;
  return out;
}

// The retry policy's deadline counts from the current request's first
// attempt (for single-request operations: from start()); wait_for_pass also
// has its overall deadline.
std::int64_t deadline_at(const op_state& s) {
  std::int64_t at = s.request_started_at + s.core->opts.retry.deadline.count();
  if (s.kind == operation_kind::wait_for_pass && s.wait.deadline.count() > 0)
    at = std::min<std::int64_t>(at, s.started_at + s.wait.deadline.count());
  return at;
}

error deadline_error(const error* last, bool waiting_room = false) {
  error e;
  e.code = errc::deadline_exceeded;
  e.message = waiting_room ? "The waiting room did not admit you within the deadline"
                           : "The operation did not succeed within its deadline";
  if (last) {
    e.cause = last->code;
    e.http_status = last->http_status;
    e.request_id = last->request_id;
    e.retry_after_ms = last->retry_after_ms;
    e.message += " (last failure: " + last->code + ")";
  }
  e.message += ".";
  return e;
}

step send(op_state& s) {
  auto& core = *s.core;
  const std::int64_t now = core.now();
  if (s.tries == 0) s.request_started_at = now;
  const std::int64_t left = deadline_at(s) - now;
  if (left <= 0) return failed(s, deadline_error(nullptr, s.kind == operation_kind::wait_for_pass));
  ++s.attempts;
  ++s.tries;
  step out;
  out.kind = step_kind::send;
  http_request& rq = out.request;
  rq.method = s.method;
  rq.path = s.path;
  rq.body = s.body;
  rq.timeout = milliseconds(std::min<std::int64_t>(core.opts.request_timeout.count(), left));
  rq.headers.emplace_back("Accept", "application/json");
  if (!s.body.empty()) rq.headers.emplace_back("Content-Type", "application/json");
  if (s.needs_auth && core.opts.token_provider) {
    std::string token = core.opts.token_provider();
    if (!token.empty()) rq.headers.emplace_back("Authorization", "Bearer " + token);
  }
  if (s.has_key) rq.headers.emplace_back("Idempotency-Key", s.key);
  if (!s.queue_pass.empty()) rq.headers.emplace_back("Queue-Pass", s.queue_pass);
  if (!s.if_none_match.empty()) rq.headers.emplace_back("If-None-Match", s.if_none_match);
  if (!core.opts.user_agent.empty()) rq.headers.emplace_back("User-Agent", core.opts.user_agent);
  out.attempt = s.tries;
  s.ph = phase::sending;
  return out;
}

// A retryable failure: wait and send again, or give up with the reason.
step retry_or_fail(op_state& s, error e) {
  auto& core = *s.core;
  const retry_policy& p = core.opts.retry;
  if (s.tries >= p.max_attempts) {
    if (!e.message.empty() && e.message.back() == '.') e.message.pop_back();
    e.message += " (gave up after " + std::to_string(s.tries) + " attempts).";
    return failed(s, std::move(e));
  }
  // Full jitter: random(0, min(cap, base · 2^n)) for retry n = 0, 1, ...
  const int n = std::min(s.tries - 1, 30);
  const std::int64_t ceiling =
      std::min<std::int64_t>(p.max_delay.count(), p.base_delay.count() << n);
  std::uint64_t r = 0;
  core.env.random_bytes(reinterpret_cast<std::uint8_t*>(&r), sizeof r);
  std::int64_t delay =
      ceiling > 0 ? static_cast<std::int64_t>(r % (static_cast<std::uint64_t>(ceiling) + 1)) : 0;
  if (e.retry_after_ms >= 0) delay = std::max<std::int64_t>(delay, e.retry_after_ms);
  // Waiting for seats to come back: a zone sold out, or picked seats held by
  // another buyer (a retryable seats_taken).
  if ((e.code == errc::sold_out || e.code == errc::seats_taken) && s.sold_out_wait_ms >= 0) {
    if (s.sold_out_wait_ms == 0 || s.sold_out_waited_ms + delay > s.sold_out_wait_ms) {
      if (!e.message.empty() && e.message.back() == '.') e.message.pop_back();
      e.message += " (not waiting longer for released seats: the call allows " +
                   std::to_string(s.sold_out_wait_ms) + " ms).";
      return failed(s, std::move(e));
    }
    s.sold_out_waited_ms += delay;
  }

  const std::int64_t now = core.now();
  if (now + delay >= deadline_at(s)) return failed(s, deadline_error(&e));
  bool allowed;
  {
    std::lock_guard lock(core.mu);
    allowed = core.budget.try_take(now);
  }
  if (!allowed) {
    error b;
    b.code = errc::retry_budget_exhausted;
    b.cause = e.code;
    b.http_status = e.http_status;
    b.request_id = e.request_id;
    b.retry_after_ms = e.retry_after_ms;
    b.message = "Too many retries from this client right now; not retrying " + e.code + ".";
    return failed(s, std::move(b));
  }
  if (core.opts.on_retry) {
    retry_info info;
    info.attempt = s.tries + 1;
    info.delay = milliseconds(delay);
    info.reason = e.code;
    info.http_status = e.http_status;
    core.opts.on_retry(info);
  }
  s.ph = phase::waiting;
  step out;
  out.kind = step_kind::wait;
  out.delay = milliseconds(delay);
  return out;
}

std::uint64_t random_u64(const detail::core_state& core) {
  std::uint64_t r = 0;
  core.env.random_bytes(reinterpret_cast<std::uint8_t*>(&r), sizeof r);
  return r;
}

// The operation's end: its decoded result, remembered by the snapshots.
step done(op_state& s, const http_response& r, operation_value v) {
  detail::remember(*s.core, s, r, v);
  s.ph = phase::finished;
  step out;
  out.kind = step_kind::done;
  out.response = r;
  out.value = std::move(v);
  return out;
}

error bad_queue_answer(const http_response& r, std::string what) {
  error e;
  e.code = errc::invalid_response;
  e.http_status = r.status;
  e.request_id = find_header(r.headers, "X-Request-Id");
  e.message = "The waiting room's answer could not be used: " + std::move(what) + ".";
  return e;
}

// wait_for_pass: a 2xx answer of the join or of GET queue/me.
step on_queue_answer(op_state& s, const http_response& r) {
  auto q = parse_queue_state(r.body);
  if (!q) return failed(s, bad_queue_answer(r, q.error().message));
  const std::string& st = q->status;
  if ((st == "admitted" && !q->queue_pass.empty()) || st == "not_required")
    return done(s, r, std::move(q).value());
  if (st == "not_joined" && !s.joining) {  // never waited, or the place/pass expired
    detail::set_queue_request(s, true);
    s.tries = 0;
    return send(s);
  }
  if (st != "waiting") return failed(s, bad_queue_answer(r, "unexpected status \"" + st + "\""));

  auto& core = *s.core;
  std::int64_t base = q->poll_after_ms > 0 ? q->poll_after_ms : 1000;
  base = std::clamp<std::int64_t>(base, 250, 60'000);
  // Uniform in [1 - jitter, 1 + jitter] from 53 random bits.
  const double u = static_cast<double>(random_u64(core) >> 11) * 0x1.0p-53;
  const double factor = 1.0 - s.wait.jitter + 2.0 * s.wait.jitter * u;
  const auto delay = static_cast<std::int64_t>(static_cast<double>(base) * factor + 0.5);
  if (s.wait.deadline.count() > 0 && core.now() + delay >= s.started_at + s.wait.deadline.count()) {
    error e = deadline_error(nullptr, true);
    e.message.pop_back();
    e.message += " (still waiting at position " + std::to_string(q->position) + ").";
    return failed(s, std::move(e));
  }
  queue_position pos;
  pos.position = q->position;
  pos.poll_after = milliseconds(q->poll_after_ms);
  pos.next_poll_in = milliseconds(delay);
  if (s.wait.on_position) s.wait.on_position(pos);
  detail::set_queue_request(s, false);
  s.tries = 0;  // the next poll is a new request with its own retries
  s.ph = phase::waiting;
  step out;
  out.kind = step_kind::wait;
  out.delay = milliseconds(delay);
  out.position = pos;
  return out;
}

// get_seat_map answered 304: the client's copy is current.
step seat_map_not_modified(op_state& s, const http_response& r) {
  std::optional<seat_map> copy;
  {
    std::lock_guard lock(s.core->mu);
    auto it = s.core->seat_maps.find(detail::seat_map_key(s.event_id, s.zone_id));
    if (it != s.core->seat_maps.end() && !s.if_none_match.empty() &&
        it->second.map.etag == s.if_none_match)
      copy = it->second.map;
  }
  if (!copy) {  // a 304 to a request without If-None-Match (or the copy changed since)
    error e;
    e.code = errc::invalid_response;
    e.http_status = r.status;
    e.request_id = find_header(r.headers, "X-Request-Id");
    e.message =
        "The server answered 304 Not Modified, but this client has no copy of the seat map.";
    return failed(s, std::move(e));
  }
  copy->not_modified = true;
  return done(s, r, std::move(*copy));
}

}  // namespace

std::string http_request::header(std::string_view name) const { return find_header(headers, name); }
std::string http_response::header(std::string_view name) const {
  return find_header(headers, name);
}

operation::operation(std::unique_ptr<op_state> s) : s_(std::move(s)) {}
operation::operation(operation&&) noexcept = default;
operation& operation::operator=(operation&&) noexcept = default;
operation::~operation() = default;

operation_kind operation::kind() const { return s_->kind; }
const std::string& operation::idempotency_key() const { return s_->key; }
int operation::attempts() const { return s_->attempts; }
bool operation::finished() const { return s_->ph == phase::finished; }

step operation::start() {
  op_state& s = *s_;
  if (s.ph != phase::idle) return misuse(s, "start() called twice");
  if (s.invalid) return failed(s, *s.invalid);
  if (s.kind == operation_kind::reserve) {
    // A caller's own key may resume an order the server already holds, which
    // the snapshots count as taken: only the server can answer (it replays).
    if (!s.caller_key)
      if (auto e = detail::validate_against_snapshots(*s.core, s)) return failed(s, std::move(*e));
    std::lock_guard lock(s.core->mu);
    if (auto it = s.core->passes.find(s.event_id); it != s.core->passes.end()) {
      if (s.queue_pass.empty()) s.queue_pass = it->second.pass;
      if (s.queue_pass == it->second.pass) s.pass_expires_at = it->second.expires_at;
    }
  }
  if (s.kind == operation_kind::get_seat_map) {
    std::lock_guard lock(s.core->mu);
    auto it = s.core->seat_maps.find(detail::seat_map_key(s.event_id, s.zone_id));
    if (it != s.core->seat_maps.end()) s.if_none_match = it->second.map.etag;
  }
  s.started_at = s.core->now();
  return send(s);
}

step operation::on_response(const http_response& r) {
  op_state& s = *s_;
  if (s.ph != phase::sending) return misuse(s, "on_response() without a pending request");
  if (r.status >= 200 && r.status < 300) {
    if (s.kind == operation_kind::wait_for_pass) return on_queue_answer(s, r);
    auto v = detail::decode_result(s, r);
    if (!v) {
      error e = v.error();
      e.http_status = r.status;
      e.request_id = find_header(r.headers, "X-Request-Id");
      return failed(s, std::move(e));
    }
    return done(s, r, std::move(v).value());
  }
  if (r.status == 304 && s.kind == operation_kind::get_seat_map) return seat_map_not_modified(s, r);
  error e = from_response(r);
  if (s.kind == operation_kind::reserve && e.code == errc::seats_taken && !e.taken.empty())
    detail::note_seats_taken(*s.core, s, e.taken);
  if (s.kind == operation_kind::reserve && e.code == "queue_pass_invalid" &&
      !s.queue_pass.empty()) {
    // The server does not restate the pass's expiry in its problem: the
    // waiting room told it when it admitted the user.
    if (e.pass_expires_at.empty()) e.pass_expires_at = s.pass_expires_at;
    std::lock_guard lock(s.core->mu);  // forget a remembered pass the server refuses
    if (auto it = s.core->passes.find(s.event_id);
        it != s.core->passes.end() && it->second.pass == s.queue_pass)
      s.core->passes.erase(it);
  }
  if (!e.retryable) return failed(s, std::move(e));
  return retry_or_fail(s, std::move(e));
}

step operation::on_transport_error(transport_failure f, std::string_view detail) {
  op_state& s = *s_;
  if (s.ph != phase::sending) return misuse(s, "on_transport_error() without a pending request");
  error e;
  if (f == transport_failure::tls) {
    e.code = errc::tls;
    e.message = "The server's TLS certificate was not accepted";
    if (!detail.empty()) e.message += " (" + std::string(detail) + ")";
    e.message += ".";
    return failed(s, std::move(e));
  }
  e.retryable = true;
  if (f == transport_failure::timeout) {
    e.code = errc::timeout;
    e.message = "The server did not answer in time";
  } else {
    e.code = errc::network;
    e.message = "The server could not be reached";
  }
  if (!detail.empty()) e.message += " (" + std::string(detail) + ")";
  e.message += ".";
  return retry_or_fail(s, std::move(e));
}

step operation::cancel_unsent() {
  op_state& s = *s_;
  if (s.ph == phase::sending) {
    --s.attempts;
    --s.tries;
  }
  return cancel();
}

step operation::on_timer() {
  op_state& s = *s_;
  if (s.ph != phase::waiting) return misuse(s, "on_timer() without a pending wait");
  return send(s);
}

step operation::cancel() {
  op_state& s = *s_;
  if (s.ph == phase::finished) return misuse(s, "cancel() after the operation finished");
  error e;
  e.code = errc::cancelled;
  e.message = "The operation was cancelled.";
  return failed(s, std::move(e));
}

}  // namespace seatgate
