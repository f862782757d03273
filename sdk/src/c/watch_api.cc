// The C API's live availability: seatgate::availability_watch behind a handle.
#include <cstddef>
#include <memory>

#include "guard.h"
#include "handles.h"

using seatgate::c_api::guarded;
using seatgate::c_api::invalid_arg;

struct seatgate_watch {
  std::unique_ptr<seatgate::availability_watch> w;
};

namespace {

constexpr std::size_t kWatchParamsV1 =
    offsetof(seatgate_watch_params_t, stream_retry_ms) + sizeof(int64_t);

std::chrono::milliseconds or_default(int64_t ms, std::chrono::milliseconds d) {
  return ms > 0 ? std::chrono::milliseconds(ms) : d;
}

}  // namespace

extern "C" {

seatgate_status_t seatgate_watch_availability(seatgate_client_t* c,
                                              const seatgate_watch_params_t* p,
                                              seatgate_watch_t** out, seatgate_error_t** err) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!c || !p || !out) return invalid_arg(err, "client, params and out are required");
    if (p->struct_size < kWatchParamsV1) return invalid_arg(err, "params.struct_size is too small");
    if (!p->event_id || !p->on_update)
      return invalid_arg(err, "event_id and on_update are required");
    seatgate::watch_options o;
    o.poll_interval = or_default(p->poll_interval_ms, o.poll_interval);
    o.stream_retry = or_default(p->stream_retry_ms, o.stream_retry);
    void* ud = p->user_data;
    if (auto fn = p->on_error) {
      o.on_error = [fn, ud](const seatgate::error& e, bool final) {
        const seatgate_error err{seatgate::c_api::status_of(e), e};
        fn(ud, &err, final ? 1 : 0);
      };
    }
    if (auto hooks = c->hooks; hooks.attach || hooks.detach) {
      if (hooks.attach) o.on_thread_start = [hooks] { hooks.attach(hooks.user_data); };
      if (hooks.detach) o.on_thread_end = [hooks] { hooks.detach(hooks.user_data); };
    }
    auto fn = p->on_update;
    auto watch = std::make_unique<seatgate_watch>();
    watch->w = c->c->watch_availability(
        p->event_id,
        [fn, ud](const seatgate::availability_update& u) {
          const seatgate_event ev{u.ev};
          fn(ud, &ev, u.live ? 1 : 0);
        },
        std::move(o));
    *out = watch.release();
    return SEATGATE_OK;
  });
}

int seatgate_watch_running(const seatgate_watch_t* w) { return w && w->w->running() ? 1 : 0; }

void seatgate_watch_free(seatgate_watch_t* w) {
  if (!w) return;
  try {
    w->w->stop();
  } catch (...) {  // a failed join: the thread still ends after its callback
  }
  delete w;
}

}  // extern "C"
