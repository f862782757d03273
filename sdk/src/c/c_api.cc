// The C API: errors, options, clients and cancel tokens (operations in
// operations.cc, result handles in results.cc). Every entry point catches
// everything; no exception crosses into C.
#include "seatgate.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>

#include "guard.h"
#include "handles.h"

static_assert(sizeof(SEATGATE_VERSION_STRING) > 0);

using seatgate::c_api::guarded;
using seatgate::c_api::invalid_arg;
using seatgate::c_api::str;

namespace seatgate::c_api {

std::optional<seatgate::client_options> client_options_of(const seatgate_options_t* o) {
  seatgate::client_options opts = o ? o->o : seatgate::client_options{};
  if (opts.base_url.find("://") == std::string::npos) return std::nullopt;
  while (opts.base_url.back() == '/') opts.base_url.pop_back();
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
  if (o && o->attempt_fn) {
    auto fn = o->attempt_fn;
    void* ud = o->attempt_ud;
    opts.on_attempt = [fn, ud](const seatgate::attempt_info& a) {
      seatgate_attempt_t c{sizeof(seatgate_attempt_t),
                           a.method.c_str(),
                           a.url.c_str(),
                           a.status,
                           a.failure.c_str(),
                           static_cast<int64_t>(a.elapsed.count()),
                           a.request_id.c_str(),
                           a.operation.c_str(),
                           a.attempt,
                           a.idempotency_key.c_str()};
      fn(ud, &c);
    };
  }
  if (o && o->request_fn) {
    auto fn = o->request_fn;
    void* ud = o->request_ud;
    opts.on_request = [fn, ud](const seatgate::request_info& r) {
      const std::string operation(r.operation), method(r.method), key(r.idempotency_key);
      seatgate_request_info_t c{sizeof(seatgate_request_info_t), operation.c_str(),
                                method.c_str(),                  r.url.c_str(),
                                r.attempt,                       key.c_str()};
      seatgate_request_headers h{&r};
      fn(ud, &c, &h);
      h.r = nullptr;
    };
  }
  if (o && o->log_fn) {  // the C++ client formats the lines
    auto log = o->log_fn;
    void* log_ud = o->log_ud;
    opts.log = [log, log_ud](seatgate::log_level level, const std::string& line) {
      log(log_ud, level == seatgate::log_level::debug ? SEATGATE_LOG_DEBUG : SEATGATE_LOG_INFO,
          line.c_str());
    };
  }
  if (o && o->random_fn) {
    auto fn = o->random_fn;
    void* ud = o->random_ud;
    opts.random_bytes = [fn, ud](std::uint8_t* buf, std::size_t n) {
      if (fn(ud, buf, n) != 0) {  // weak keys are worse than none
        std::fputs("seatgate: the app's randomness callback failed\n", stderr);
        std::abort();
      }
    };
  }
  return opts;
}

}  // namespace seatgate::c_api

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
const char* seatgate_error_request_id(const seatgate_error_t* e) {
  return e ? e->e.request_id.c_str() : "";
}
int64_t seatgate_error_retry_after_ms(const seatgate_error_t* e) {
  return e ? e->e.retry_after_ms : -1;
}
const char* seatgate_error_pass_expires_at(const seatgate_error_t* e) {
  return e ? e->e.pass_expires_at.c_str() : "";
}
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
seatgate_status_t seatgate_options_set_on_attempt(seatgate_options_t* o, seatgate_attempt_fn fn,
                                                  void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->attempt_fn = fn;
  o->attempt_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_on_request(seatgate_options_t* o, seatgate_request_fn fn,
                                                  void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->request_fn = fn;
  o->request_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_request_headers_add(seatgate_request_headers_t* h, const char* name,
                                               const char* value) {
  if (!h || !h->r || !name || !value) return SEATGATE_ERR_INVALID_ARGUMENT;
  return guarded(nullptr, [&] {
    return h->r->add_header(name, value) ? SEATGATE_OK : SEATGATE_ERR_INVALID_ARGUMENT;
  });
}
seatgate_status_t seatgate_options_set_log(seatgate_options_t* o, seatgate_log_fn fn, void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->log_fn = fn;
  o->log_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_random(seatgate_options_t* o, seatgate_random_fn fn,
                                              void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->random_fn = fn;
  o->random_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_callback_executor(seatgate_options_t* o,
                                                         seatgate_executor_fn fn, void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->executor_fn = fn;
  o->executor_ud = ud;
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_thread_hooks(seatgate_options_t* o,
                                                    seatgate_thread_fn attach,
                                                    seatgate_thread_fn detach, void* ud) {
  if (!o) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->hooks = {attach, detach, ud};
  return SEATGATE_OK;
}
seatgate_status_t seatgate_options_set_async_threads(seatgate_options_t* o, int n) {
  if (!o || n < 1 || n > 64) return SEATGATE_ERR_INVALID_ARGUMENT;
  o->async_threads = n;
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
    auto opts = seatgate::c_api::client_options_of(o);
    if (!opts) return invalid_arg(err, seatgate::c_api::kBadBaseUrl);
    auto* c = new seatgate_client;
    c->c = std::make_unique<seatgate::client>(std::move(*opts));
    if (o) {
      c->executor_fn = o->executor_fn;
      c->executor_ud = o->executor_ud;
      c->hooks = o->hooks;
      c->w.configure(static_cast<std::size_t>(o->async_threads), o->hooks);
    } else {
      c->w.configure(seatgate_options{}.async_threads, {});
    }
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

}  // extern "C"
