// The C API's operations: every entry point names its operation and converts
// its C arguments; one shared caller runs it (synchronously, or on the
// client's worker thread) through the core, which decodes the result.
#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>
#include <variant>

#include "guard.h"
#include "handles.h"
#include "results.h"

namespace {

using seatgate::operation_kind;
using seatgate::operation_params;
using seatgate::c_api::fail;
using seatgate::c_api::guarded;
using seatgate::c_api::invalid_arg;
using seatgate::c_api::str;
using seatgate::c_api::value_of;
using seatgate::c_api::wrap;
using op = operation_kind;

// An operation to run, or nullopt when the caller passed NULL params.
using call = std::optional<std::pair<operation_kind, operation_params>>;

call by_event(operation_kind k, const char* event_id) {
  operation_params p;
  p.event_id = str(event_id);
  return std::pair{k, std::move(p)};
}

call by_reservation(operation_kind k, const char* reservation_id) {
  operation_params p;
  p.reservation_id = str(reservation_id);
  return std::pair{k, std::move(p)};
}

call of(const seatgate_reserve_params_t* c) {
  if (!c) return std::nullopt;
  operation_params p;
  p.event_id = str(c->event_id);
  p.zone_id = str(c->zone_id);
  p.quantity = c->quantity;
  p.idempotency_key = str(c->idempotency_key);
  p.queue_pass = str(c->queue_pass);
  return std::pair{op::reserve, std::move(p)};
}

// With per-call options: NULL keeps the defaults; a struct_size older than
// the first version is invalid (nullopt).
call of(const seatgate_reserve_params_t* c, const seatgate_reserve_options_t* o) {
  call k = of(c);
  if (!k || !o) return k;
  if (o->struct_size < offsetof(seatgate_reserve_options_t, sold_out_wait_ms) + sizeof(int64_t))
    return std::nullopt;
  k->second.sold_out_wait_ms = seatgate::c_api::sold_out_wait_of(o->sold_out_wait_ms);
  if (o->struct_size >= offsetof(seatgate_reserve_options_t, allow_split) + sizeof(int))
    seatgate::c_api::seats_of(o->seats, o->seat_count, o->best_available, o->allow_split,
                              k->second);
  return k;
}

call by_zone(operation_kind k, const char* event_id, const char* zone_id) {
  operation_params p;
  p.event_id = str(event_id);
  p.zone_id = str(zone_id);
  return std::pair{k, std::move(p)};
}

call of(const seatgate_confirm_params_t* c) {
  if (!c) return std::nullopt;
  operation_params p;
  p.reservation_id = str(c->reservation_id);
  if (c->payment_ref) p.payment_ref = c->payment_ref;
  p.idempotency_key = str(c->idempotency_key);
  return std::pair{op::confirm, std::move(p)};
}

call of(const seatgate_wait_params_t* c) {
  if (!c) return std::nullopt;
  operation_params p;
  p.event_id = str(c->event_id);
  seatgate::wait_for_pass_options& o = p.wait;
  if (c->deadline_ms > 0)
    o.deadline = std::chrono::milliseconds(c->deadline_ms);
  else if (c->deadline_ms < 0)
    o.deadline = std::chrono::milliseconds(0);  // none
  o.join = c->resume == 0;
  if (c->on_position) {
    auto fn = c->on_position;
    void* ud = c->position_user_data;
    o.on_position = [fn, ud](const seatgate::queue_position& q) {
      fn(ud, q.position, static_cast<int64_t>(q.poll_after.count()),
         static_cast<int64_t>(q.next_poll_in.count()));
    };
  }
  return std::pair{op::wait_for_pass, std::move(p)};
}

// Runs the call to its end on this thread; *out gets the handle.
template <class H>
seatgate_status_t run(seatgate::client& cl, const std::pair<operation_kind, operation_params>& k,
                      const seatgate::cancel_token* token, H** out, seatgate_error_t** err) {
  seatgate::step s = cl.run(cl.core().create(k.first, k.second), token);
  if (s.kind != seatgate::step_kind::done) return fail(err, s.err);
  auto* v = std::get_if<typename value_of<H>::type>(&s.value);
  if (!v) return fail(err, SEATGATE_ERR_INTERNAL, "internal", "Unexpected result type.");
  *out = wrap(std::move(*v));
  return SEATGATE_OK;
}

// A synchronous call; make() builds the call inside the guard.
template <class H, class Make>
seatgate_status_t sync_call(seatgate_client_t* c, seatgate_cancel_token_t* cancel, H** out,
                            seatgate_error_t** err, Make make) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!c) return invalid_arg(err, "client is NULL");
    if (!out) return invalid_arg(err, "out is NULL");
    call k = make();
    if (!k) return invalid_arg(err, "params is NULL");
    std::optional<seatgate::cancel_token> token;
    if (cancel) token.emplace(cancel->t);  // a copy shares the state
    return run(*c->c, *k, token ? &*token : nullptr, out, err);
  });
}

// Runs a finished call's callback: on this worker thread, or handed to the
// app's executor (which runs the task once, where it likes).
template <class F>
void deliver(seatgate_executor_fn executor, void* exec_ud, F callback) {
  if (!executor) return callback();
  auto* task = new (std::nothrow) F(std::move(callback));
  if (!task) return callback();  // out of memory: deliver here rather than lose it
  executor(
      exec_ud,
      [](void* p) {
        auto* t = static_cast<F*>(p);
        (*t)();
        delete t;
      },
      task);
}

// An asynchronous call: the arguments are copied before it returns; the work
// runs on the worker with its own token (so freeing the client cancels it
// alone), linked to the caller's token while it runs; the link is removed
// when it ends, so the caller's token does not grow with its calls.
// cb(user_data, status, handle, error) runs once.
template <class H, class Make>
seatgate_status_t async_call(seatgate_client_t* c, seatgate_cancel_token_t* cancel,
                             void (*cb)(void*, seatgate_status_t, H*, seatgate_error_t*), void* ud,
                             Make make) {
  return guarded(nullptr, [&]() -> seatgate_status_t {
    if (!c || !cb) return SEATGATE_ERR_INVALID_ARGUMENT;
    call k = make();
    if (!k) return SEATGATE_ERR_INVALID_ARGUMENT;
    seatgate::cancel_token mine;
    seatgate::client* cl = c->c.get();
    // The call's own reference to the caller's token state, taken now: the
    // handle may be freed while the call runs.
    auto parent = cancel ? cancel->t.state() : nullptr;
    c->w.post(
        [cl, cb, ud, mine, parent = std::move(parent), k = std::move(*k), executor = c->executor_fn,
         exec_ud = c->executor_ud]() mutable {
          H* handle = nullptr;
          seatgate_error_t* err = nullptr;
          seatgate_status_t st = guarded(&err, [&]() -> seatgate_status_t {
            seatgate::detail::cancel_link link(std::move(parent), mine.state());
            return run(*cl, k, &mine, &handle, &err);
          });
          if (st != SEATGATE_OK && !err) err = new (std::nothrow) seatgate_error{st, {}};
          deliver(executor, exec_ud, [=] { cb(ud, st, handle, err); });
        },
        mine.state());
    return SEATGATE_OK;
  });
}

}  // namespace

extern "C" {

/* operations: sync */
seatgate_status_t seatgate_get_event(seatgate_client_t* c, const char* id,
                                     seatgate_cancel_token_t* t, seatgate_event_t** out,
                                     seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_event(op::get_event, id); });
}
seatgate_status_t seatgate_reserve(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                                   seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                   seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return of(p); });
}
seatgate_status_t seatgate_reserve_ex(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                                      const seatgate_reserve_options_t* o,
                                      seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                      seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return of(p, o); });
}
seatgate_status_t seatgate_get_reservation(seatgate_client_t* c, const char* id,
                                           seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                           seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_reservation(op::get_reservation, id); });
}
seatgate_status_t seatgate_confirm(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                                   seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                   seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return of(p); });
}
seatgate_status_t seatgate_release(seatgate_client_t* c, const char* id, seatgate_cancel_token_t* t,
                                   seatgate_reservation_t** out, seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_reservation(op::release, id); });
}
seatgate_status_t seatgate_list_reservations(seatgate_client_t* c, const char* event_id,
                                             seatgate_cancel_token_t* t,
                                             seatgate_reservation_list_t** out,
                                             seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_event(op::list_reservations, event_id); });
}
seatgate_status_t seatgate_join_queue(seatgate_client_t* c, const char* id,
                                      seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                      seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_event(op::join_queue, id); });
}
seatgate_status_t seatgate_queue_status(seatgate_client_t* c, const char* id,
                                        seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                        seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_event(op::queue_status, id); });
}
seatgate_status_t seatgate_leave_queue(seatgate_client_t* c, const char* id,
                                       seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                       seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_event(op::leave_queue, id); });
}
seatgate_status_t seatgate_wait_for_pass(seatgate_client_t* c, const seatgate_wait_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                         seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return of(p); });
}

/* operations: async */
seatgate_status_t seatgate_get_event_async(seatgate_client_t* c, const char* id,
                                           seatgate_cancel_token_t* t, seatgate_event_cb cb,
                                           void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_event(op::get_event, id); });
}
seatgate_status_t seatgate_reserve_async(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  return async_call(c, t, cb, ud, [=] { return of(p); });
}
seatgate_status_t seatgate_reserve_ex_async(seatgate_client_t* c,
                                            const seatgate_reserve_params_t* p,
                                            const seatgate_reserve_options_t* o,
                                            seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                            void* ud) {
  return async_call(c, t, cb, ud, [=] { return of(p, o); });
}
seatgate_status_t seatgate_get_reservation_async(seatgate_client_t* c, const char* id,
                                                 seatgate_cancel_token_t* t,
                                                 seatgate_reservation_cb cb, void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_reservation(op::get_reservation, id); });
}
seatgate_status_t seatgate_confirm_async(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  return async_call(c, t, cb, ud, [=] { return of(p); });
}
seatgate_status_t seatgate_release_async(seatgate_client_t* c, const char* id,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_reservation(op::release, id); });
}
seatgate_status_t seatgate_list_reservations_async(seatgate_client_t* c, const char* event_id,
                                                   seatgate_cancel_token_t* t,
                                                   seatgate_reservation_list_cb cb, void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_event(op::list_reservations, event_id); });
}
seatgate_status_t seatgate_join_queue_async(seatgate_client_t* c, const char* id,
                                            seatgate_cancel_token_t* t, seatgate_queue_state_cb cb,
                                            void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_event(op::join_queue, id); });
}
seatgate_status_t seatgate_queue_status_async(seatgate_client_t* c, const char* id,
                                              seatgate_cancel_token_t* t,
                                              seatgate_queue_state_cb cb, void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_event(op::queue_status, id); });
}
seatgate_status_t seatgate_leave_queue_async(seatgate_client_t* c, const char* id,
                                             seatgate_cancel_token_t* t, seatgate_queue_state_cb cb,
                                             void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_event(op::leave_queue, id); });
}
seatgate_status_t seatgate_wait_for_pass_async(seatgate_client_t* c,
                                               const seatgate_wait_params_t* p,
                                               seatgate_cancel_token_t* t,
                                               seatgate_queue_state_cb cb, void* ud) {
  return async_call(c, t, cb, ud, [=] { return of(p); });
}

/* assigned seating */
seatgate_status_t seatgate_get_seat_map(seatgate_client_t* c, const char* event_id,
                                        const char* zone_id, seatgate_cancel_token_t* t,
                                        seatgate_seat_map_t** out, seatgate_error_t** err) {
  return sync_call(c, t, out, err, [=] { return by_zone(op::get_seat_map, event_id, zone_id); });
}
seatgate_status_t seatgate_get_seat_map_async(seatgate_client_t* c, const char* event_id,
                                              const char* zone_id, seatgate_cancel_token_t* t,
                                              seatgate_seat_map_cb cb, void* ud) {
  return async_call(c, t, cb, ud, [=] { return by_zone(op::get_seat_map, event_id, zone_id); });
}

}  // extern "C"
