// The C API: thin wrappers over seatgate::client. Every entry point catches
// everything; no exception crosses into C.
#include "seatgate.h"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>

#include "../native/cancel.h"
#include "handles.h"
#include "seatgate/client.h"

static_assert(sizeof(SEATGATE_VERSION_STRING) > 0);

struct seatgate_error {
  seatgate_status_t status;
  seatgate::error e;
};

struct seatgate_options {
  seatgate::client_options o;
  std::string token;
  seatgate_token_provider_fn token_fn = nullptr;
  void* token_ud = nullptr;
  seatgate_retry_fn retry_fn = nullptr;
  void* retry_ud = nullptr;
};

struct seatgate_event {
  seatgate::event e;
};

struct seatgate_reservation {
  seatgate::reservation r;
};

struct seatgate_reservation_list {
  std::vector<seatgate_reservation> items;
};

struct seatgate_queue_state {
  seatgate::queue_state q;
};

namespace {

// One worker thread per client, started on first use, running tasks in order.
// Its state is shared with the thread, so the thread can outlive the worker
// object when the client is freed from one of its own callbacks.
class worker {
 public:
  using task = std::function<void()>;
  ~worker() {
    if (thread_.joinable()) stop();
  }

  void post(task t, std::shared_ptr<seatgate::detail::cancel_state> token) {
    std::lock_guard lock(s_->mu);
    if (!thread_.joinable() && !s_->detached) {
      thread_ = std::thread([s = s_] { run(*s); });
      s_->thread_id = thread_.get_id();
    }
    s_->queue.push_back({std::move(t), std::move(token)});
    s_->cv.notify_one();
  }

  bool on_worker_thread() const {
    std::lock_guard lock(s_->mu);
    return s_->thread_id == std::this_thread::get_id();
  }

  // Cancels everything queued or running, lets the callbacks run, joins.
  // Not on the worker thread (see stop_from_worker).
  void stop() {
    cancel_all(nullptr);
    if (thread_.joinable()) thread_.join();
  }

  // stop() from a callback on the worker thread itself, which cannot join
  // itself: the thread is detached, runs the remaining callbacks (cancelled)
  // after the current one returns, then calls `last` and ends.
  void stop_from_worker(std::function<void()> last) {
    cancel_all(std::move(last));
    thread_.detach();
  }

 private:
  struct item {
    task run;
    std::shared_ptr<seatgate::detail::cancel_state> token;
  };
  struct state {
    mutable std::mutex mu;
    std::condition_variable cv;
    std::deque<item> queue;
    std::shared_ptr<seatgate::detail::cancel_state> running;
    bool stopping = false;
    bool detached = false;
    std::thread::id thread_id;
    std::function<void()> last;  // run by the thread as it ends (deferred free)
  };

  void cancel_all(std::function<void()> last) {
    {
      std::lock_guard lock(s_->mu);
      s_->stopping = true;
      if (last) {
        s_->detached = true;
        s_->last = std::move(last);
      }
      for (auto& it : s_->queue) it.token->cancel();
      if (s_->running) s_->running->cancel();
    }
    s_->cv.notify_one();
  }

  static void run(state& s) {
    for (;;) {
      item it;
      {
        std::unique_lock lock(s.mu);
        s.cv.wait(lock, [&] { return s.stopping || !s.queue.empty(); });
        if (s.queue.empty()) break;
        it = std::move(s.queue.front());
        s.queue.pop_front();
        s.running = it.token;
        if (s.stopping) it.token->cancel();
      }
      it.run();
      std::lock_guard lock(s.mu);
      s.running.reset();
    }
    std::function<void()> last;
    {
      std::lock_guard lock(s.mu);
      last = std::move(s.last);
    }
    if (last) last();
  }

  std::shared_ptr<state> s_ = std::make_shared<state>();
  std::thread thread_;
};

}  // namespace

struct seatgate_client {
  std::unique_ptr<seatgate::client> c;
  worker w;  // declared after c: destroyed (joined) before the client
};

namespace {

seatgate_status_t status_of(const seatgate::error& e) {
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

seatgate_status_t fail(seatgate_error_t** out, seatgate_status_t st, const char* code,
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

seatgate_status_t fail(seatgate_error_t** out, const seatgate::error& e) {
  seatgate_status_t st = status_of(e);
  if (out) *out = new (std::nothrow) seatgate_error{st, e};
  return st;
}

seatgate_status_t invalid_arg(seatgate_error_t** out, const char* what) {
  return fail(out, SEATGATE_ERR_INVALID_ARGUMENT, "invalid_argument", what);
}

// Runs f, turning any exception into SEATGATE_ERR_INTERNAL.
template <class F>
seatgate_status_t guarded(seatgate_error_t** err, F&& f) noexcept {
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

std::string str(const char* s) { return s ? std::string(s) : std::string(); }

// The call's own reference to the caller's token state, taken on entry: the
// handle may be freed while the call runs.
std::shared_ptr<seatgate::detail::cancel_state> state_of(seatgate_cancel_token_t* t) {
  return t ? t->t.state() : nullptr;
}

// C handle types for each C++ result type.
seatgate_event_t* wrap(seatgate::event v) { return new seatgate_event{std::move(v)}; }
seatgate_reservation_t* wrap(seatgate::reservation v) {
  return new seatgate_reservation{std::move(v)};
}
seatgate_queue_state_t* wrap(seatgate::queue_state v) {
  return new seatgate_queue_state{std::move(v)};
}
seatgate_reservation_list_t* wrap(std::vector<seatgate::reservation> v) {
  auto* l = new seatgate_reservation_list;
  l->items.reserve(v.size());
  for (auto& r : v) l->items.push_back(seatgate_reservation{std::move(r)});
  return l;
}

// A synchronous call: call(client, token) -> result<T>; *out gets the handle.
template <class H, class Call>
seatgate_status_t sync_call(seatgate_client_t* c, seatgate_cancel_token_t* cancel, H** out,
                            seatgate_error_t** err, Call&& call) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!c) return invalid_arg(err, "client is NULL");
    if (!out) return invalid_arg(err, "out is NULL");
    std::optional<seatgate::cancel_token> token;
    if (cancel) token.emplace(cancel->t);  // a copy shares the state
    auto r = call(*c->c, token ? &*token : nullptr);
    if (!r) return fail(err, r.error());
    *out = wrap(std::move(r).value());
    return SEATGATE_OK;
  });
}

// An asynchronous call: the work runs on the worker with its own token (so
// freeing the client cancels it alone), linked to the caller's token while
// it runs; the link is removed when it ends, so the caller's token does not
// grow with its calls. cb(user_data, status, handle, error) runs once.
template <class H, class Cb, class Call>
seatgate_status_t async_call(seatgate_client_t* c, seatgate_cancel_token_t* cancel, Cb cb, void* ud,
                             Call call) {
  return guarded(nullptr, [&]() -> seatgate_status_t {
    if (!c || !cb) return SEATGATE_ERR_INVALID_ARGUMENT;
    seatgate::cancel_token mine;
    seatgate::client* cl = c->c.get();
    c->w.post(
        [cl, cb, ud, mine, parent = state_of(cancel), call = std::move(call)]() mutable {
          H* handle = nullptr;
          seatgate_error_t* err = nullptr;
          seatgate_status_t st = guarded(&err, [&]() -> seatgate_status_t {
            auto r = [&] {
              seatgate::detail::cancel_link link(std::move(parent), mine.state());
              return call(*cl, &mine);
            }();
            if (!r) return fail(&err, r.error());
            handle = wrap(std::move(r).value());
            return SEATGATE_OK;
          });
          if (st != SEATGATE_OK && !err) err = new (std::nothrow) seatgate_error{st, {}};
          cb(ud, st, handle, err);
        },
        mine.state());
    return SEATGATE_OK;
  });
}

const char* opt_cstr(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

char* dup_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

seatgate::reserve_request to_request(const seatgate_reserve_params_t& p) {
  seatgate::reserve_request r;
  r.event_id = str(p.event_id);
  r.zone_id = str(p.zone_id);
  r.quantity = p.quantity;
  r.idempotency_key = str(p.idempotency_key);
  r.queue_pass = str(p.queue_pass);
  return r;
}

seatgate::confirm_request to_request(const seatgate_confirm_params_t& p) {
  seatgate::confirm_request r;
  r.reservation_id = str(p.reservation_id);
  if (p.payment_ref) r.payment_ref = p.payment_ref;
  r.idempotency_key = str(p.idempotency_key);
  return r;
}

seatgate::wait_for_pass_options to_options(const seatgate_wait_params_t& p) {
  seatgate::wait_for_pass_options o;
  if (p.deadline_ms > 0)
    o.deadline = std::chrono::milliseconds(p.deadline_ms);
  else if (p.deadline_ms < 0)
    o.deadline = std::chrono::milliseconds(0);  // none
  o.join = p.resume == 0;
  if (p.on_position) {
    auto fn = p.on_position;
    void* ud = p.position_user_data;
    o.on_position = [fn, ud](const seatgate::queue_position& q) {
      fn(ud, q.position, static_cast<int64_t>(q.poll_after.count()),
         static_cast<int64_t>(q.next_poll_in.count()));
    };
  }
  return o;
}

}  // namespace

extern "C" {

const char* seatgate_version(void) { return SEATGATE_VERSION_STRING; }

const char* seatgate_status_name(seatgate_status_t s) {
  switch (s) {
    case SEATGATE_OK:
      return "ok";
    case SEATGATE_ERR_INVALID_ARGUMENT:
      return "invalid_argument";
    case SEATGATE_ERR_VALIDATION:
      return "validation";
    case SEATGATE_ERR_SERVER:
      return "server";
    case SEATGATE_ERR_NETWORK:
      return "network";
    case SEATGATE_ERR_TIMEOUT:
      return "timeout";
    case SEATGATE_ERR_CANCELLED:
      return "cancelled";
    case SEATGATE_ERR_DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case SEATGATE_ERR_RETRY_BUDGET_EXHAUSTED:
      return "retry_budget_exhausted";
    case SEATGATE_ERR_INVALID_RESPONSE:
      return "invalid_response";
    case SEATGATE_ERR_INTERNAL:
      return "internal";
    case SEATGATE_ERR_TLS:
      return "tls";
  }
  return "unknown";
}

/* errors */
seatgate_status_t seatgate_error_status(const seatgate_error_t* e) {
  return e ? e->status : SEATGATE_OK;
}
const char* seatgate_error_code(const seatgate_error_t* e) { return e ? e->e.code.c_str() : ""; }
const char* seatgate_error_message(const seatgate_error_t* e) {
  return e ? e->e.message.c_str() : "";
}
int seatgate_error_http_status(const seatgate_error_t* e) { return e ? e->e.http_status : 0; }
int seatgate_error_retryable(const seatgate_error_t* e) { return e && e->e.retryable ? 1 : 0; }
int seatgate_error_attempts(const seatgate_error_t* e) { return e ? e->e.attempts : 0; }
const char* seatgate_error_cause(const seatgate_error_t* e) { return e ? e->e.cause.c_str() : ""; }
void seatgate_error_free(seatgate_error_t* e) { delete e; }

/* options */
seatgate_options_t* seatgate_options_new(void) { return new (std::nothrow) seatgate_options; }
void seatgate_options_free(seatgate_options_t* o) { delete o; }

seatgate_status_t seatgate_options_set_base_url(seatgate_options_t* o, const char* url) {
  if (!o || !url || !*url) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    o->o.base_url = url;
    return SEATGATE_OK;
  });
}
seatgate_status_t seatgate_options_set_token(seatgate_options_t* o, const char* token) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    o->token = str(token);
    return SEATGATE_OK;
  });
}
seatgate_status_t seatgate_options_set_token_provider(seatgate_options_t* o,
                                                      seatgate_token_provider_fn fn, void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->token_fn = fn;
  o->token_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_timeouts(seatgate_options_t* o, int64_t connect_ms,
                                                int64_t request_ms) {
  if (!o || connect_ms <= 0 || request_ms <= 0) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->o.connect_timeout = std::chrono::milliseconds(connect_ms);
  o->o.request_timeout = std::chrono::milliseconds(request_ms);
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_retry_policy(seatgate_options_t* o, int max_attempts,
                                                    int64_t base_ms, int64_t cap_ms,
                                                    int64_t deadline_ms) {
  if (!o || max_attempts < 1 || base_ms < 0 || cap_ms < 0 || deadline_ms <= 0)
    return SEATGATE_ERR_INVALID_ARGUMENT;
  o->o.retry.max_attempts = max_attempts;
  o->o.retry.base_delay = std::chrono::milliseconds(base_ms);
  o->o.retry.max_delay = std::chrono::milliseconds(cap_ms);
  o->o.retry.deadline = std::chrono::milliseconds(deadline_ms);
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_retry_budget(seatgate_options_t* o, double capacity,
                                                    double refill_per_second) {
  if (!o || refill_per_second < 0) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->o.budget.capacity = capacity;
  o->o.budget.refill_per_second = refill_per_second;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_on_retry(seatgate_options_t* o, seatgate_retry_fn fn,
                                                void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->retry_fn = fn;
  o->retry_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_user_agent(seatgate_options_t* o, const char* ua) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    o->o.user_agent = str(ua);
    return SEATGATE_OK;
  });
}

/* client */
seatgate_status_t seatgate_client_new(const seatgate_options_t* o, seatgate_client_t** out,
                                      seatgate_error_t** err) {
  if (out) *out = nullptr;
  if (err) *err = nullptr;
  return guarded(err, [&]() -> seatgate_status_t {
    if (!out) return invalid_arg(err, "out is NULL");
    seatgate::client_options opts = o ? o->o : seatgate::client_options{};
    if (o && o->token_fn) {
      auto fn = o->token_fn;
      void* ud = o->token_ud;
      opts.token_provider = [fn, ud] {
        const char* t = fn(ud);
        return t ? std::string(t) : std::string();
      };
    } else if (o && !o->token.empty()) {
      opts.token_provider = [t = o->token] { return t; };
    }
    if (o && o->retry_fn) {
      auto fn = o->retry_fn;
      void* ud = o->retry_ud;
      opts.on_retry = [fn, ud](const seatgate::retry_info& i) {
        fn(ud, i.attempt, static_cast<int64_t>(i.delay.count()), i.reason.c_str());
      };
    }
    if (opts.base_url.find("://") == std::string::npos)
      return invalid_arg(err, "base URL must look like http://host:port");
    auto* c = new seatgate_client;
    c->c = std::make_unique<seatgate::client>(std::move(opts));
    *out = c;
    return SEATGATE_OK;
  });
}

void seatgate_client_free(seatgate_client_t* c) {
  if (!c) return;
  bool own_thread = false;
  try {
    own_thread = c->w.on_worker_thread();
    if (own_thread) {  // from one of its own callbacks: the worker frees it
      c->w.stop_from_worker([c] { delete c; });
      return;
    }
    c->w.stop();
  } catch (...) {
    if (own_thread) return;  // leak rather than join the thread from itself
  }
  delete c;
}

seatgate_status_t seatgate_new_idempotency_key(char out[37]) {
  if (!out) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    std::string k = seatgate::uuid_v4(seatgate::system_environment());
    std::memcpy(out, k.c_str(), 37);
    return SEATGATE_OK;
  });
}

/* cancellation */
seatgate_cancel_token_t* seatgate_cancel_token_new(void) {
  try {
    return new seatgate_cancel_token;
  } catch (...) {
    return nullptr;
  }
}
void seatgate_cancel_token_cancel(seatgate_cancel_token_t* t) {
  if (!t) return;
  try {
    t->t.cancel();
  } catch (...) {
  }
}
void seatgate_cancel_token_free(seatgate_cancel_token_t* t) { delete t; }

/* results */
#define SG_GET(type, name, expr, dflt) \
  type name { return x ? (expr) : (dflt); }

SG_GET(const char*, seatgate_event_id(const seatgate_event_t* x), x->e.id.c_str(), nullptr)
SG_GET(const char*, seatgate_event_name(const seatgate_event_t* x), x->e.name.c_str(), nullptr)
SG_GET(const char*, seatgate_event_currency(const seatgate_event_t* x), x->e.currency.c_str(),
       nullptr)
SG_GET(const char*, seatgate_event_status(const seatgate_event_t* x), x->e.status.c_str(), nullptr)
SG_GET(int64_t, seatgate_event_max_per_order(const seatgate_event_t* x), x->e.max_per_order, -1)
SG_GET(int64_t, seatgate_event_max_per_user(const seatgate_event_t* x), x->e.max_per_user, -1)
SG_GET(size_t, seatgate_event_zone_count(const seatgate_event_t* x), x->e.zones.size(), 0)

const char* seatgate_event_zone_id(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].id.c_str() : nullptr;
}
const char* seatgate_event_zone_name(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].name.c_str() : nullptr;
}
int64_t seatgate_event_zone_capacity(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].capacity : -1;
}
int64_t seatgate_event_zone_price(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() ? x->e.zones[i].price : -1;
}
int64_t seatgate_event_zone_available(const seatgate_event_t* x, size_t i) {
  return x && i < x->e.zones.size() && x->e.zones[i].available ? *x->e.zones[i].available : -1;
}
void seatgate_event_free(seatgate_event_t* e) { delete e; }

SG_GET(const char*, seatgate_reservation_id(const seatgate_reservation_t* x), x->r.id.c_str(),
       nullptr)
SG_GET(const char*, seatgate_reservation_event_id(const seatgate_reservation_t* x),
       x->r.event_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_zone_id(const seatgate_reservation_t* x),
       x->r.zone_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_user_id(const seatgate_reservation_t* x),
       x->r.user_id.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_status(const seatgate_reservation_t* x),
       x->r.status.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_currency(const seatgate_reservation_t* x),
       x->r.currency.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_created_at(const seatgate_reservation_t* x),
       x->r.created_at.c_str(), nullptr)
SG_GET(const char*, seatgate_reservation_expires_at(const seatgate_reservation_t* x),
       opt_cstr(x->r.expires_at), nullptr)
SG_GET(const char*, seatgate_reservation_confirmed_at(const seatgate_reservation_t* x),
       opt_cstr(x->r.confirmed_at), nullptr)
SG_GET(const char*, seatgate_reservation_payment_ref(const seatgate_reservation_t* x),
       opt_cstr(x->r.payment_ref), nullptr)
SG_GET(int64_t, seatgate_reservation_quantity(const seatgate_reservation_t* x), x->r.quantity, -1)
SG_GET(int64_t, seatgate_reservation_amount(const seatgate_reservation_t* x), x->r.amount, -1)
SG_GET(int, seatgate_reservation_replayed(const seatgate_reservation_t* x), x->r.replayed ? 1 : 0,
       0)
void seatgate_reservation_free(seatgate_reservation_t* r) { delete r; }

size_t seatgate_reservation_list_count(const seatgate_reservation_list_t* l) {
  return l ? l->items.size() : 0;
}
const seatgate_reservation_t* seatgate_reservation_list_at(const seatgate_reservation_list_t* l,
                                                           size_t i) {
  return l && i < l->items.size() ? &l->items[i] : nullptr;
}
void seatgate_reservation_list_free(seatgate_reservation_list_t* l) { delete l; }

SG_GET(const char*, seatgate_queue_state_status(const seatgate_queue_state_t* x),
       x->q.status.c_str(), nullptr)
SG_GET(int64_t, seatgate_queue_state_position(const seatgate_queue_state_t* x), x->q.position, -1)
SG_GET(int64_t, seatgate_queue_state_poll_after_ms(const seatgate_queue_state_t* x),
       x->q.poll_after_ms, -1)
SG_GET(const char*, seatgate_queue_state_pass(const seatgate_queue_state_t* x),
       x->q.queue_pass.c_str(), nullptr)
void seatgate_queue_state_free(seatgate_queue_state_t* q) { delete q; }

#undef SG_GET

char* seatgate_event_to_json(const seatgate_event_t* e) {
  if (!e) return nullptr;
  try {
    return dup_string(seatgate::to_json(e->e));
  } catch (...) {
    return nullptr;
  }
}
char* seatgate_reservation_to_json(const seatgate_reservation_t* r) {
  if (!r) return nullptr;
  try {
    return dup_string(seatgate::to_json(r->r));
  } catch (...) {
    return nullptr;
  }
}
void seatgate_string_free(char* s) { std::free(s); }

/* operations: sync */
seatgate_status_t seatgate_get_event(seatgate_client_t* c, const char* id,
                                     seatgate_cancel_token_t* t, seatgate_event_t** out,
                                     seatgate_error_t** err) {
  return sync_call(c, t, out, err,
                   [&](seatgate::client& cl, auto* tok) { return cl.get_event(str(id), tok); });
}
seatgate_status_t seatgate_reserve(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                                   seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                   seatgate_error_t** err) {
  if (!p) {
    if (out) *out = nullptr;
    return invalid_arg(err, "params is NULL");
  }
  return sync_call(c, t, out, err, [&](seatgate::client& cl, auto* tok) {
    return cl.reserve(to_request(*p), tok);
  });
}
seatgate_status_t seatgate_get_reservation(seatgate_client_t* c, const char* id,
                                           seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                           seatgate_error_t** err) {
  return sync_call(c, t, out, err, [&](seatgate::client& cl, auto* tok) {
    return cl.get_reservation(str(id), tok);
  });
}
seatgate_status_t seatgate_confirm(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                                   seatgate_cancel_token_t* t, seatgate_reservation_t** out,
                                   seatgate_error_t** err) {
  if (!p) {
    if (out) *out = nullptr;
    return invalid_arg(err, "params is NULL");
  }
  return sync_call(c, t, out, err, [&](seatgate::client& cl, auto* tok) {
    return cl.confirm(to_request(*p), tok);
  });
}
seatgate_status_t seatgate_release(seatgate_client_t* c, const char* id, seatgate_cancel_token_t* t,
                                   seatgate_reservation_t** out, seatgate_error_t** err) {
  return sync_call(c, t, out, err,
                   [&](seatgate::client& cl, auto* tok) { return cl.release(str(id), tok); });
}
seatgate_status_t seatgate_list_reservations(seatgate_client_t* c, const char* event_id,
                                             seatgate_cancel_token_t* t,
                                             seatgate_reservation_list_t** out,
                                             seatgate_error_t** err) {
  return sync_call(c, t, out, err, [&](seatgate::client& cl, auto* tok) {
    return cl.list_my_reservations(str(event_id), tok);
  });
}
seatgate_status_t seatgate_join_queue(seatgate_client_t* c, const char* id,
                                      seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                      seatgate_error_t** err) {
  return sync_call(c, t, out, err,
                   [&](seatgate::client& cl, auto* tok) { return cl.join_queue(str(id), tok); });
}
seatgate_status_t seatgate_queue_status(seatgate_client_t* c, const char* id,
                                        seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                        seatgate_error_t** err) {
  return sync_call(c, t, out, err,
                   [&](seatgate::client& cl, auto* tok) { return cl.queue_status(str(id), tok); });
}
seatgate_status_t seatgate_leave_queue(seatgate_client_t* c, const char* id,
                                       seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                       seatgate_error_t** err) {
  return sync_call(c, t, out, err,
                   [&](seatgate::client& cl, auto* tok) { return cl.leave_queue(str(id), tok); });
}
seatgate_status_t seatgate_wait_for_pass(seatgate_client_t* c, const seatgate_wait_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_queue_state_t** out,
                                         seatgate_error_t** err) {
  if (!p) {
    if (out) *out = nullptr;
    return invalid_arg(err, "params is NULL");
  }
  return sync_call(c, t, out, err, [&](seatgate::client& cl, auto* tok) {
    return cl.wait_for_pass(str(p->event_id), to_options(*p), tok);
  });
}

/* operations: async (arguments copied into the task before returning) */
seatgate_status_t seatgate_get_event_async(seatgate_client_t* c, const char* id,
                                           seatgate_cancel_token_t* t, seatgate_event_cb cb,
                                           void* ud) {
  return async_call<seatgate_event_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.get_event(id, tok); });
}
seatgate_status_t seatgate_reserve_async(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  if (!p) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    return async_call<seatgate_reservation_t>(
        c, t, cb, ud,
        [req = to_request(*p)](seatgate::client& cl, auto* tok) { return cl.reserve(req, tok); });
  });
}
seatgate_status_t seatgate_get_reservation_async(seatgate_client_t* c, const char* id,
                                                 seatgate_cancel_token_t* t,
                                                 seatgate_reservation_cb cb, void* ud) {
  return async_call<seatgate_reservation_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.get_reservation(id, tok); });
}
seatgate_status_t seatgate_confirm_async(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  if (!p) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    return async_call<seatgate_reservation_t>(
        c, t, cb, ud,
        [req = to_request(*p)](seatgate::client& cl, auto* tok) { return cl.confirm(req, tok); });
  });
}
seatgate_status_t seatgate_release_async(seatgate_client_t* c, const char* id,
                                         seatgate_cancel_token_t* t, seatgate_reservation_cb cb,
                                         void* ud) {
  return async_call<seatgate_reservation_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.release(id, tok); });
}
seatgate_status_t seatgate_list_reservations_async(seatgate_client_t* c, const char* event_id,
                                                   seatgate_cancel_token_t* t,
                                                   seatgate_reservation_list_cb cb, void* ud) {
  return async_call<seatgate_reservation_list_t>(
      c, t, cb, ud, [id = str(event_id)](seatgate::client& cl, auto* tok) {
        return cl.list_my_reservations(id, tok);
      });
}
seatgate_status_t seatgate_join_queue_async(seatgate_client_t* c, const char* id,
                                            seatgate_cancel_token_t* t, seatgate_queue_state_cb cb,
                                            void* ud) {
  return async_call<seatgate_queue_state_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.join_queue(id, tok); });
}
seatgate_status_t seatgate_queue_status_async(seatgate_client_t* c, const char* id,
                                              seatgate_cancel_token_t* t,
                                              seatgate_queue_state_cb cb, void* ud) {
  return async_call<seatgate_queue_state_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.queue_status(id, tok); });
}
seatgate_status_t seatgate_leave_queue_async(seatgate_client_t* c, const char* id,
                                             seatgate_cancel_token_t* t, seatgate_queue_state_cb cb,
                                             void* ud) {
  return async_call<seatgate_queue_state_t>(
      c, t, cb, ud,
      [id = str(id)](seatgate::client& cl, auto* tok) { return cl.leave_queue(id, tok); });
}
seatgate_status_t seatgate_wait_for_pass_async(seatgate_client_t* c,
                                               const seatgate_wait_params_t* p,
                                               seatgate_cancel_token_t* t,
                                               seatgate_queue_state_cb cb, void* ud) {
  if (!p) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    return async_call<seatgate_queue_state_t>(
        c, t, cb, ud, [id = str(p->event_id), o = to_options(*p)](seatgate::client& cl, auto* tok) {
          return cl.wait_for_pass(id, o, tok);
        });
  });
}

}  // extern "C"
