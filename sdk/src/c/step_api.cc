// The C API's step machine: the sans-IO core for apps that bring their own
// transport (seatgate.h, "bring your own transport"). No I/O, no threads:
// each entry point feeds one input to the core and keeps the step it returns.
#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "guard.h"
#include "handles.h"
#include "results.h"

struct seatgate_core {
  std::string base_url;
  std::optional<seatgate::client_core> core;
};

struct seatgate_operation {
  std::string base_url;
  seatgate::operation op;
  seatgate::step s;
  bool started = false;
  // The SEND step's request as C strings, rebuilt at every step.
  std::string url;
  std::vector<const char*> names, values;
};

namespace {

using seatgate::c_api::fail;
using seatgate::c_api::guarded;
using seatgate::c_api::invalid_arg;
using seatgate::c_api::str;
using seatgate::c_api::value_of;
using seatgate::c_api::wrap;

// The first version of each extensible struct ends with its last field here.
constexpr std::size_t kParamsV1 = offsetof(seatgate_operation_params_t, wait_resume) + sizeof(int);
constexpr std::size_t kRequestV1 = offsetof(seatgate_http_request_t, timeout_ms) + sizeof(int64_t);
constexpr std::size_t kResponseV1 =
    offsetof(seatgate_http_response_t, body_length) + sizeof(size_t);

std::optional<seatgate::operation_kind> kind_of(seatgate_operation_kind_t k) {
  using K = seatgate::operation_kind;
  switch (k) {
    case SEATGATE_OP_GET_EVENT:
      return K::get_event;
    case SEATGATE_OP_RESERVE:
      return K::reserve;
    case SEATGATE_OP_GET_RESERVATION:
      return K::get_reservation;
    case SEATGATE_OP_CONFIRM:
      return K::confirm;
    case SEATGATE_OP_RELEASE:
      return K::release;
    case SEATGATE_OP_LIST_RESERVATIONS:
      return K::list_reservations;
    case SEATGATE_OP_JOIN_QUEUE:
      return K::join_queue;
    case SEATGATE_OP_QUEUE_STATUS:
      return K::queue_status;
    case SEATGATE_OP_LEAVE_QUEUE:
      return K::leave_queue;
    case SEATGATE_OP_WAIT_FOR_PASS:
      return K::wait_for_pass;
    case SEATGATE_OP_GET_SEAT_MAP:
      return K::get_seat_map;
  }
  return std::nullopt;
}

seatgate::operation_params params_of(const seatgate_operation_params_t& c) {
  seatgate::operation_params p;
  if (c.struct_size >= offsetof(seatgate_operation_params_t, sold_out_wait_ms) + sizeof(int64_t))
    p.sold_out_wait_ms = seatgate::c_api::sold_out_wait_of(c.sold_out_wait_ms);
  if (c.struct_size >= offsetof(seatgate_operation_params_t, allow_split) + sizeof(int))
    seatgate::c_api::seats_of(c.seats, c.seat_count, c.best_available, c.allow_split, p);
  p.event_id = str(c.event_id);
  p.zone_id = str(c.zone_id);
  p.quantity = c.quantity;
  p.reservation_id = str(c.reservation_id);
  p.idempotency_key = str(c.idempotency_key);
  p.queue_pass = str(c.queue_pass);
  if (c.payment_ref) p.payment_ref = c.payment_ref;
  if (c.wait_deadline_ms > 0)
    p.wait.deadline = std::chrono::milliseconds(c.wait_deadline_ms);
  else if (c.wait_deadline_ms < 0)
    p.wait.deadline = std::chrono::milliseconds(0);  // none
  p.wait.join = c.wait_resume == 0;
  return p;
}

seatgate_step_kind_t kind_of(seatgate::step_kind k) {
  switch (k) {
    case seatgate::step_kind::send:
      return SEATGATE_STEP_SEND;
    case seatgate::step_kind::wait:
      return SEATGATE_STEP_WAIT;
    case seatgate::step_kind::done:
      return SEATGATE_STEP_DONE;
    case seatgate::step_kind::failed:
      break;
  }
  return SEATGATE_STEP_FAILED;
}

// Keeps the step and, for a SEND, its request as C strings.
seatgate_step_kind_t keep(seatgate_operation_t* op, seatgate::step s) {
  op->s = std::move(s);
  op->names.clear();
  op->values.clear();
  if (op->s.kind == seatgate::step_kind::send) {
    op->url = op->base_url + op->s.request.path;
    for (const auto& [k, v] : op->s.request.headers) {
      op->names.push_back(k.c_str());
      op->values.push_back(v.c_str());
    }
  }
  return kind_of(op->s.kind);
}

// Feeds one input inside the guard; an exception (out of memory) fails the
// operation as the core would.
template <class F>
seatgate_step_kind_t feed(seatgate_operation_t* op, F&& input) noexcept {
  if (!op) return SEATGATE_STEP_FAILED;
  try {
    return keep(op, input(op->op));
  } catch (...) {
    seatgate::step failed;
    failed.err.code = "internal";
    failed.err.message = "Out of memory or an internal error while stepping the operation.";
    op->s = std::move(failed);
    return SEATGATE_STEP_FAILED;
  }
}

template <class H>
seatgate_status_t result_of(const seatgate_operation_t* op, H** out) {
  if (!out) return SEATGATE_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!op || op->s.kind != seatgate::step_kind::done) return SEATGATE_ERR_INVALID_ARGUMENT;
  const auto* v = std::get_if<typename value_of<H>::type>(&op->s.value);
  if (!v) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    *out = wrap(*v);
    return SEATGATE_OK;
  });
}

}  // namespace

extern "C" {

seatgate_status_t seatgate_core_new(const seatgate_options_t* o, seatgate_core_t** out,
                                    seatgate_error_t** err) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!out) return invalid_arg(err, "out is NULL");
    auto opts = seatgate::c_api::client_options_of(o);
    if (!opts) return invalid_arg(err, seatgate::c_api::kBadBaseUrl);
    auto* c = new seatgate_core;
    c->base_url = opts->base_url;
    c->core.emplace(seatgate::to_core_options(*opts), seatgate::environment_of(*opts));
    *out = c;
    return SEATGATE_OK;
  });
}

void seatgate_core_free(seatgate_core_t* c) { delete c; }

seatgate_status_t seatgate_operation_new(seatgate_core_t* c, const seatgate_operation_params_t* p,
                                         seatgate_operation_t** out, seatgate_error_t** err) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!c) return invalid_arg(err, "core is NULL");
    if (!out) return invalid_arg(err, "out is NULL");
    if (!p) return invalid_arg(err, "params is NULL");
    if (p->struct_size < kParamsV1) return invalid_arg(err, "params.struct_size is too small");
    auto kind = kind_of(p->kind);
    if (!kind) return invalid_arg(err, "params.kind is not a seatgate_operation_kind_t");
    *out = new seatgate_operation{c->base_url, c->core->create(*kind, params_of(*p))};
    return SEATGATE_OK;
  });
}

void seatgate_operation_free(seatgate_operation_t* op) { delete op; }

seatgate_step_kind_t seatgate_operation_start(seatgate_operation_t* op) {
  if (op) op->started = true;
  return feed(op, [](seatgate::operation& o) { return o.start(); });
}

seatgate_step_kind_t seatgate_operation_on_response(seatgate_operation_t* op,
                                                    const seatgate_http_response_t* r) {
  if (!r || r->struct_size < kResponseV1 ||
      (r->header_count > 0 && (!r->header_names || !r->header_values)) ||
      (r->body_length > 0 && !r->body))
    return feed(op, [](seatgate::operation& o) {
      return o.on_transport_error(seatgate::transport_failure::network,
                                  "The app passed an unreadable response to the SDK.");
    });
  return feed(op, [r](seatgate::operation& o) {
    seatgate::http_response resp;
    resp.status = r->status;
    for (size_t i = 0; i < r->header_count; ++i)
      resp.headers.emplace_back(str(r->header_names[i]), str(r->header_values[i]));
    if (r->body_length > 0) resp.body.assign(r->body, r->body_length);
    return o.on_response(resp);
  });
}

seatgate_step_kind_t seatgate_operation_on_transport_error(seatgate_operation_t* op,
                                                           seatgate_transport_failure_t f,
                                                           const char* detail) {
  seatgate::transport_failure tf = seatgate::transport_failure::network;
  if (f == SEATGATE_TRANSPORT_TIMEOUT) tf = seatgate::transport_failure::timeout;
  if (f == SEATGATE_TRANSPORT_TLS) tf = seatgate::transport_failure::tls;
  return feed(op, [tf, detail](seatgate::operation& o) {
    return o.on_transport_error(tf, detail ? std::string_view(detail) : std::string_view());
  });
}

seatgate_step_kind_t seatgate_operation_on_timer(seatgate_operation_t* op) {
  return feed(op, [](seatgate::operation& o) { return o.on_timer(); });
}

seatgate_step_kind_t seatgate_operation_cancel(seatgate_operation_t* op, int unsent) {
  return feed(op,
              [unsent](seatgate::operation& o) { return unsent ? o.cancel_unsent() : o.cancel(); });
}

seatgate_step_kind_t seatgate_operation_step(const seatgate_operation_t* op) {
  return op ? kind_of(op->s.kind) : SEATGATE_STEP_FAILED;
}

seatgate_status_t seatgate_operation_request(const seatgate_operation_t* op,
                                             seatgate_http_request_t* out) {
  if (!op || !out || out->struct_size < kRequestV1 || op->s.kind != seatgate::step_kind::send)
    return SEATGATE_ERR_INVALID_ARGUMENT;
  const seatgate::http_request& rq = op->s.request;
  seatgate_http_request_t v;
  std::memset(&v, 0, sizeof v);
  v.struct_size = out->struct_size < sizeof v ? out->struct_size : sizeof v;
  v.method = rq.method.c_str();
  v.url = op->url.c_str();
  v.header_count = op->names.size();
  v.header_names = op->names.data();
  v.header_values = op->values.data();
  v.body = rq.body.c_str();
  v.body_length = rq.body.size();
  v.timeout_ms = static_cast<int64_t>(rq.timeout.count());
  std::memcpy(out, &v, v.struct_size);
  return SEATGATE_OK;
}

int64_t seatgate_operation_wait_ms(const seatgate_operation_t* op) {
  return op && op->s.kind == seatgate::step_kind::wait ? static_cast<int64_t>(op->s.delay.count())
                                                       : -1;
}

int64_t seatgate_operation_wait_position(const seatgate_operation_t* op) {
  return op && op->s.kind == seatgate::step_kind::wait && op->s.position ? op->s.position->position
                                                                         : -1;
}

int seatgate_operation_attempts(const seatgate_operation_t* op) {
  return op ? op->op.attempts() : 0;
}

const char* seatgate_operation_idempotency_key(const seatgate_operation_t* op) {
  return op ? op->op.idempotency_key().c_str() : "";
}

seatgate_status_t seatgate_operation_event(const seatgate_operation_t* op, seatgate_event_t** out) {
  return result_of(op, out);
}
seatgate_status_t seatgate_operation_reservation(const seatgate_operation_t* op,
                                                 seatgate_reservation_t** out) {
  return result_of(op, out);
}
seatgate_status_t seatgate_operation_reservation_list(const seatgate_operation_t* op,
                                                      seatgate_reservation_list_t** out) {
  return result_of(op, out);
}
seatgate_status_t seatgate_operation_queue_state(const seatgate_operation_t* op,
                                                 seatgate_queue_state_t** out) {
  return result_of(op, out);
}

seatgate_status_t seatgate_operation_seat_map(const seatgate_operation_t* op,
                                              seatgate_seat_map_t** out) {
  return result_of(op, out);
}

seatgate_status_t seatgate_operation_error(const seatgate_operation_t* op, seatgate_error_t** out) {
  if (!out) return SEATGATE_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  if (!op || !op->started || op->s.kind != seatgate::step_kind::failed) return SEATGATE_OK;
  return guarded(nullptr, [&] {
    fail(out, op->s.err);
    return seatgate::c_api::status_of(op->s.err);
  });
}

}  // extern "C"
