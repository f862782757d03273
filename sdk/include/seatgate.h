/* seatgate C API — the native SDK for C and mobile apps (docs/sdk.md).
 *
 * Conventions
 * - Handles are opaque; every symbol starts with seatgate_, every constant
 *   with SEATGATE_.
 * - Strings passed in are borrowed for the duration of the call only and must
 *   be NUL-terminated UTF-8. Strings returned by accessors are owned by the
 *   object they come from and live as long as it does.
 * - Everything the library allocates for you has a seatgate_*_free; passing
 *   NULL to any *_free is allowed and does nothing.
 * - Calls return a seatgate_status_t. When it is not SEATGATE_OK and `error`
 *   is not NULL, *error receives a seatgate_error_t the caller must free
 *   (code, message, HTTP status, retryable, attempts). Output pointers are
 *   set to NULL on failure.
 * - No C++ exception ever crosses this boundary.
 *
 * Threads
 * - A seatgate_client_t is thread-safe: synchronous calls may be made from
 *   any number of threads at once (each runs on the calling thread, with its
 *   own keep-alive connection).
 * - Asynchronous calls (seatgate_*_async) are queued to the client's worker
 *   threads (up to 4 by default, started on demand; see
 *   seatgate_options_set_async_threads), taken in submission order; a call
 *   never waits for another to finish while a thread is free. Callbacks run
 *   on the worker thread that ran the call, or through the app's executor
 *   (seatgate_options_set_callback_executor).
 * - Hooks (token provider, on_retry, on_request, on_attempt, log) run
 *   inside a call, on the thread running it (the caller's, or the worker's
 *   for an async call), never through the executor.
 * - seatgate_client_free cancels queued and running async calls (their
 *   callbacks still run, with SEATGATE_ERR_CANCELLED), joins the worker and
 *   then frees the client. Call it once, when no other thread uses the client.
 * - seatgate_client_free may also be called on a worker thread, from one
 *   of the client's own callbacks (a Swift deinit or a Kotlin finaliser in a
 *   completion handler): it returns at once without joining; after the
 *   current callback returns, the workers run the callbacks of the calls
 *   still queued or running (SEATGATE_ERR_CANCELLED), and the last one to
 *   end frees the client. The
 *   client must not be used after the call, from any thread.
 * - Result and error objects are immutable; reading one from several threads
 *   is safe. Options and cancel tokens: see each function.
 */
#ifndef SEATGATE_H
#define SEATGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SEATGATE_BUILDING_LIBRARY)
#define SEATGATE_API __attribute__((visibility("default")))
#else
#define SEATGATE_API
#endif

/* Nullability for Swift and the Clang static analyser: every pointer in this
 * header is non-null unless marked SEATGATE_NULLABLE. Empty on compilers
 * without the extension. */
#if defined(__clang__) && defined(__has_feature)
#if __has_feature(nullability)
#define SEATGATE_NULLABLE _Nullable
#define SEATGATE_NONNULL _Nonnull
#define SEATGATE_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#define SEATGATE_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#endif
#endif
#ifndef SEATGATE_NULLABLE
#define SEATGATE_NULLABLE
#define SEATGATE_NONNULL
#define SEATGATE_ASSUME_NONNULL_BEGIN
#define SEATGATE_ASSUME_NONNULL_END
#endif

SEATGATE_ASSUME_NONNULL_BEGIN

#define SEATGATE_VERSION_MAJOR 0
#define SEATGATE_VERSION_MINOR 1
#define SEATGATE_VERSION_PATCH 0

/* "MAJOR.MINOR.PATCH" of the library actually loaded. Static string;
 * thread-safe. */
SEATGATE_API const char* seatgate_version(void);

typedef enum seatgate_status {
  SEATGATE_OK = 0,
  SEATGATE_ERR_INVALID_ARGUMENT = 1, /* NULL where a value is required, bad option */
  SEATGATE_ERR_VALIDATION = 2,       /* rejected before the network (validation_*) */
  SEATGATE_ERR_SERVER = 3,           /* the server answered an error (see the code) */
  SEATGATE_ERR_NETWORK = 4,          /* unreachable after retries */
  SEATGATE_ERR_TIMEOUT = 5,          /* no answer in time after retries */
  SEATGATE_ERR_CANCELLED = 6,
  SEATGATE_ERR_DEADLINE_EXCEEDED = 7,
  SEATGATE_ERR_RETRY_BUDGET_EXHAUSTED = 8,
  SEATGATE_ERR_INVALID_RESPONSE = 9, /* the answer could not be read */
  SEATGATE_ERR_INTERNAL = 10,        /* out of memory or a bug; see the message */
  SEATGATE_ERR_TLS = 11              /* the server's certificate was refused ("tls"); not retried */
} seatgate_status_t;

/* A readable English name for a status ("ok", "validation", ...). Static
 * string; thread-safe. */
SEATGATE_API const char* seatgate_status_name(seatgate_status_t status);

/* ---- errors ------------------------------------------------------------ */

typedef struct seatgate_error seatgate_error_t;

SEATGATE_API seatgate_status_t seatgate_error_status(const seatgate_error_t* SEATGATE_NULLABLE e);
/* The precise code: a server code from docs/openapi.yaml ("sold_out", ...) or the SDK's
 * own ("network", "timeout", "tls", "cancelled", "deadline_exceeded",
 * "retry_budget_exhausted", "validation_quantity", ...). */
SEATGATE_API const char* seatgate_error_code(const seatgate_error_t* SEATGATE_NULLABLE e);
SEATGATE_API const char* seatgate_error_message(const seatgate_error_t* SEATGATE_NULLABLE e);
SEATGATE_API int seatgate_error_http_status(
    const seatgate_error_t* SEATGATE_NULLABLE e); /* 0 if none */
SEATGATE_API int seatgate_error_retryable(const seatgate_error_t* SEATGATE_NULLABLE e); /* 0 or 1 */
/* Requests sent: 0 when none was (validation, or a token already cancelled). */
SEATGATE_API int seatgate_error_attempts(const seatgate_error_t* SEATGATE_NULLABLE e);
/* For deadline_exceeded, retry_budget_exhausted: the last failure's code, else "". */
SEATGATE_API const char* seatgate_error_cause(const seatgate_error_t* SEATGATE_NULLABLE e);
/* X-Request-Id of the last response ("" if none): quote it to support. */
SEATGATE_API const char* seatgate_error_request_id(const seatgate_error_t* SEATGATE_NULLABLE e);
/* Retry-After of the last response in ms, -1 if none. */
SEATGATE_API int64_t seatgate_error_retry_after_ms(const seatgate_error_t* SEATGATE_NULLABLE e);
/* queue_pass_invalid: when the refused queue pass expired (RFC 3339), as the
 * waiting room reported it when it admitted the user; "" if unknown. */
SEATGATE_API const char* seatgate_error_pass_expires_at(
    const seatgate_error_t* SEATGATE_NULLABLE e);
SEATGATE_API void seatgate_error_free(seatgate_error_t* SEATGATE_NULLABLE e);

/* Codes to compare seatgate_error_code with (strcmp): the server's
 * (docs/openapi.yaml, Problem.code) and the SDK's own. */
#define SEATGATE_CODE_SOLD_OUT "sold_out"
#define SEATGATE_CODE_USER_LIMIT_EXCEEDED "user_limit_exceeded"
#define SEATGATE_CODE_EVENT_NOT_ON_SALE "event_not_on_sale"
#define SEATGATE_CODE_EVENT_NOT_FOUND "event_not_found"
#define SEATGATE_CODE_ZONE_NOT_FOUND "zone_not_found"
#define SEATGATE_CODE_RESERVATION_NOT_FOUND "reservation_not_found"
#define SEATGATE_CODE_RESERVATION_EXPIRED "reservation_expired"
#define SEATGATE_CODE_RESERVATION_RELEASED "reservation_released"
#define SEATGATE_CODE_ALREADY_CONFIRMED "already_confirmed"
#define SEATGATE_CODE_QUEUE_PASS_REQUIRED "queue_pass_required"
#define SEATGATE_CODE_QUEUE_PASS_INVALID "queue_pass_invalid"
#define SEATGATE_CODE_QUEUE_LIMIT_EXCEEDED "queue_limit_exceeded"
#define SEATGATE_CODE_IDEMPOTENCY_KEY_IN_USE "idempotency_key_in_use"
#define SEATGATE_CODE_IDEMPOTENCY_KEY_REUSED "idempotency_key_reused"
#define SEATGATE_CODE_INVALID_QUANTITY "invalid_quantity"
#define SEATGATE_CODE_INVALID_REQUEST "invalid_request"
#define SEATGATE_CODE_UNAUTHORIZED "unauthorized"
#define SEATGATE_CODE_FORBIDDEN "forbidden"
#define SEATGATE_CODE_RATE_LIMITED "rate_limited"
#define SEATGATE_CODE_UNAVAILABLE "unavailable"
#define SEATGATE_CODE_NETWORK "network"
#define SEATGATE_CODE_TIMEOUT "timeout"
#define SEATGATE_CODE_TLS "tls"
#define SEATGATE_CODE_CANCELLED "cancelled"
#define SEATGATE_CODE_DEADLINE_EXCEEDED "deadline_exceeded"
#define SEATGATE_CODE_RETRY_BUDGET_EXHAUSTED "retry_budget_exhausted"
#define SEATGATE_CODE_INVALID_RESPONSE "invalid_response"
#define SEATGATE_CODE_INVALID_STATE "invalid_state"
#define SEATGATE_CODE_HTTP_ERROR "http_error"
#define SEATGATE_CODE_BAD_GATEWAY "bad_gateway"
#define SEATGATE_CODE_GATEWAY_TIMEOUT "gateway_timeout"
/* The server's other codes (docs/openapi.yaml, Problem.code). */
#define SEATGATE_CODE_INVALID_JSON "invalid_json"
#define SEATGATE_CODE_MISSING_IDEMPOTENCY_KEY "missing_idempotency_key"
#define SEATGATE_CODE_INVALID_IDEMPOTENCY_KEY "invalid_idempotency_key"
#define SEATGATE_CODE_NOT_FOUND "not_found"
#define SEATGATE_CODE_METHOD_NOT_ALLOWED "method_not_allowed"
#define SEATGATE_CODE_REQUEST_TIMEOUT "request_timeout"
#define SEATGATE_CODE_CAPACITY_BELOW_COMMITTED "capacity_below_committed"
#define SEATGATE_CODE_PAYLOAD_TOO_LARGE "payload_too_large"
#define SEATGATE_CODE_HEADERS_TOO_LARGE "headers_too_large"
#define SEATGATE_CODE_UNSUPPORTED_MEDIA_TYPE "unsupported_media_type"
#define SEATGATE_CODE_INTERNAL "internal"
/* The archive route (docs/operations.md). */
#define SEATGATE_CODE_EVENT_NOT_CLOSED "event_not_closed"
#define SEATGATE_CODE_HOLDS_LIVE "holds_live"
#define SEATGATE_CODE_OUTBOX_NOT_DRAINED "outbox_not_drained"
/* Validation before the network: no request was sent (docs/sdk.md). The
 * seat ones are with assigned seating below. */
#define SEATGATE_CODE_VALIDATION_EVENT_ID "validation_event_id"
#define SEATGATE_CODE_VALIDATION_ZONE_ID "validation_zone_id"
#define SEATGATE_CODE_VALIDATION_UNKNOWN_ZONE "validation_unknown_zone"
#define SEATGATE_CODE_VALIDATION_RESERVATION_ID "validation_reservation_id"
#define SEATGATE_CODE_VALIDATION_QUANTITY "validation_quantity"
#define SEATGATE_CODE_VALIDATION_ABOVE_MAX_PER_ORDER "validation_above_max_per_order"
#define SEATGATE_CODE_VALIDATION_ABOVE_AVAILABILITY "validation_above_availability"
#define SEATGATE_CODE_VALIDATION_ABOVE_USER_ALLOWANCE "validation_above_user_allowance"
#define SEATGATE_CODE_VALIDATION_IDEMPOTENCY_KEY "validation_idempotency_key"
#define SEATGATE_CODE_VALIDATION_PAYMENT_REF "validation_payment_ref"
#define SEATGATE_CODE_VALIDATION_QUEUE_PASS "validation_queue_pass"

/* ---- options ----------------------------------------------------------- */

typedef struct seatgate_options seatgate_options_t;

/* Returns the bearer token for the next attempt; the SDK copies it at once.
 * Return NULL or "" for none. Called on the thread running the call (the
 * caller's for sync calls, the worker for async ones). */
typedef const char* SEATGATE_NULLABLE (*seatgate_token_provider_fn)(
    void* SEATGATE_NULLABLE user_data);

/* Told before every retry: attempt about to be made (2..), delay before it,
 * the failure's code. Called on the thread running the call. */
typedef void (*seatgate_retry_fn)(void* SEATGATE_NULLABLE user_data, int attempt, int64_t delay_ms,
                                  const char* reason);

/* Options are plain data: not thread-safe; a client copies them at creation,
 * so they may be freed right after seatgate_client_new. Defaults: base URL
 * http://127.0.0.1:8080, connect timeout 3000 ms, per-attempt timeout
 * 10000 ms, 5 attempts, base delay 100 ms, cap 2000 ms, deadline 15000 ms,
 * retry budget 20 tokens refilled at 2 per second. */
SEATGATE_API seatgate_options_t* SEATGATE_NULLABLE seatgate_options_new(void);
SEATGATE_API void seatgate_options_free(seatgate_options_t* SEATGATE_NULLABLE o);
SEATGATE_API seatgate_status_t seatgate_options_set_base_url(seatgate_options_t* o,
                                                             const char* url);
/* A fixed token (copied). Replaced by a token provider if one is set. */
SEATGATE_API seatgate_status_t seatgate_options_set_token(seatgate_options_t* o,
                                                          const char* SEATGATE_NULLABLE token);
SEATGATE_API seatgate_status_t seatgate_options_set_token_provider(
    seatgate_options_t* o, seatgate_token_provider_fn SEATGATE_NULLABLE fn,
    void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_options_set_timeouts(seatgate_options_t* o,
                                                             int64_t connect_ms,
                                                             int64_t request_ms);
SEATGATE_API seatgate_status_t seatgate_options_set_retry_policy(seatgate_options_t* o,
                                                                 int max_attempts,
                                                                 int64_t base_delay_ms,
                                                                 int64_t max_delay_ms,
                                                                 int64_t deadline_ms);
/* capacity <= 0 turns the budget off. */
SEATGATE_API seatgate_status_t seatgate_options_set_retry_budget(seatgate_options_t* o,
                                                                 double capacity,
                                                                 double refill_per_second);
SEATGATE_API seatgate_status_t seatgate_options_set_on_retry(seatgate_options_t* o,
                                                             seatgate_retry_fn SEATGATE_NULLABLE fn,
                                                             void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t
seatgate_options_set_user_agent(seatgate_options_t* o, const char* SEATGATE_NULLABLE user_agent);

/* Fills buf with n cryptographically secure random bytes (idempotency keys,
 * jitter) and returns 0. Default: the OS CSPRNG, chosen when the library is
 * built (arc4random_buf on Apple, Android and BSD; getrandom with a
 * /dev/urandom fallback on Linux; getentropy; /dev/urandom). A non-zero
 * return stops the process: weak keys are worse than none. Called on the
 * thread running the call; must be thread-safe. */
typedef int (*seatgate_random_fn)(void* SEATGATE_NULLABLE user_data, uint8_t* buf, size_t n);
SEATGATE_API seatgate_status_t seatgate_options_set_random(seatgate_options_t* o,
                                                           seatgate_random_fn SEATGATE_NULLABLE fn,
                                                           void* SEATGATE_NULLABLE user_data);

/* A task the app must run exactly once, on any thread it likes. */
typedef void (*seatgate_task_fn)(void* SEATGATE_NULLABLE task_context);
/* Runs async callbacks where the app wants them (the main queue, a
 * Looper): the SDK calls executor(executor_data, task, task_context) on its
 * worker thread when a call finishes; the app runs task(task_context) there,
 * e.g. dispatch_async_f(queue, task_context, task) or by posting to a
 * Handler. Default (NULL): the callback runs on the worker thread. */
typedef void (*seatgate_executor_fn)(void* SEATGATE_NULLABLE executor_data, seatgate_task_fn task,
                                     void* SEATGATE_NULLABLE task_context);
SEATGATE_API seatgate_status_t seatgate_options_set_callback_executor(
    seatgate_options_t* o, seatgate_executor_fn SEATGATE_NULLABLE fn,
    void* SEATGATE_NULLABLE executor_data);

/* Called first and last on every worker thread the client starts (JNI:
 * AttachCurrentThread / DetachCurrentThread). */
typedef void (*seatgate_thread_fn)(void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_options_set_thread_hooks(
    seatgate_options_t* o, seatgate_thread_fn SEATGATE_NULLABLE attach,
    seatgate_thread_fn SEATGATE_NULLABLE detach, void* SEATGATE_NULLABLE user_data);

/* Async calls run on up to n worker threads (1..64, default 4), started as
 * calls arrive while the others are busy: one slow call (a long wait for a
 * pass) does not hold the others. n = 1: one after another, in order. */
SEATGATE_API seatgate_status_t seatgate_options_set_async_threads(seatgate_options_t* o, int n);

/* Observability. An attempt as it ended (borrowed for the call):
 * status 0 and failure "network" / "timeout" / "tls" / "cancelled" when no
 * response came; request_id is the response's X-Request-Id ("" if none). */
typedef struct seatgate_attempt {
  size_t struct_size; /* sizeof(seatgate_attempt_t) of the library: read only fields within */
  const char* method;
  const char* url;
  int status;
  const char* failure; /* "" when a response came */
  int64_t elapsed_ms;
  const char* request_id;
  /* Added in 0.1 after the fields above: which request it was, as the
   * request hook was told (seatgate_request_info_t). */
  const char* operation;       /* "get_event", "reserve", ... */
  int attempt;                 /* 1 = first; each retry counts up */
  const char* idempotency_key; /* reserve, confirm; "" otherwise */
} seatgate_attempt_t;
/* Told after every request the bundled transport made (the response hook),
 * on the thread running the call, as the request hook is. */
typedef void (*seatgate_attempt_fn)(void* SEATGATE_NULLABLE user_data,
                                    const seatgate_attempt_t* attempt);
SEATGATE_API seatgate_status_t
seatgate_options_set_on_attempt(seatgate_options_t* o, seatgate_attempt_fn SEATGATE_NULLABLE fn,
                                void* SEATGATE_NULLABLE user_data);

/* Request hook: told before every request the bundled transport sends,
 * each attempt of a retried call included (same key, same body), with the
 * attempt about to go out (borrowed for the call). It may add headers of its
 * own to that attempt (tracing: traceparent, X-Request-Id, which the server
 * echoes in its answer) with seatgate_request_headers_add; it cannot change
 * or remove the SDK's.
 * Threads: it runs on the thread running the call, right before the request
 * is sent: the caller's for a sync call, a worker thread for an async one,
 * a watch's own thread for the polls of seatgate_watch_availability. It is
 * never handed to the callback executor (the request waits for it), so it
 * runs while the app's queue may be busy: it must be thread-safe, quick,
 * and must not call seatgate_client_free on its client. Nothing it does
 * can fail the call. */
typedef struct seatgate_request_info {
  size_t struct_size; /* sizeof(seatgate_request_info_t) of the library */
  const char* operation;       /* "get_event", "reserve", ... */
  const char* method;          /* "GET", "POST", "DELETE" */
  const char* url;             /* base URL + path and query */
  int attempt;                 /* 1 = first; each retry counts up (on_retry's numbering) */
  const char* idempotency_key; /* reserve, confirm: the key of every attempt; "" otherwise */
} seatgate_request_info_t;
/* The headers of the attempt being sent; valid only during the hook's call. */
typedef struct seatgate_request_headers seatgate_request_headers_t;
/* Adds `name: value` (both copied) to the attempt. SEATGATE_ERR_INVALID_ARGUMENT,
 * and nothing added, for a name the SDK or the transport owns (Accept,
 * Authorization, Connection, Content-Length, Content-Type, Expect, Host,
 * Idempotency-Key, Keep-Alive, Queue-Pass, TE, Trailer, Transfer-Encoding,
 * Upgrade, User-Agent), a name already in the request, a name that is not an
 * HTTP token, a value holding CR, LF or NUL, or NULLs. The call goes on
 * either way. Only from the hook, with the `headers` it was given. */
SEATGATE_API seatgate_status_t seatgate_request_headers_add(seatgate_request_headers_t* headers,
                                                            const char* name, const char* value);
typedef void (*seatgate_request_fn)(void* SEATGATE_NULLABLE user_data,
                                    const seatgate_request_info_t* request,
                                    seatgate_request_headers_t* headers);
SEATGATE_API seatgate_status_t
seatgate_options_set_on_request(seatgate_options_t* o, seatgate_request_fn SEATGATE_NULLABLE fn,
                                void* SEATGATE_NULLABLE user_data);

typedef enum seatgate_log_level {
  SEATGATE_LOG_DEBUG = 0, /* every attempt: "GET http://.../v1/events/e -> 200 (12 ms, ...)" */
  SEATGATE_LOG_INFO = 1   /* every retry: "retrying (attempt 2) in 1000 ms after sold_out" */
} seatgate_log_level_t;
/* One line of text per event, on the thread running the call (route it to
 * os_log, android.util.Log, ...). */
typedef void (*seatgate_log_fn)(void* SEATGATE_NULLABLE user_data, seatgate_log_level_t level,
                                const char* message);
SEATGATE_API seatgate_status_t seatgate_options_set_log(seatgate_options_t* o,
                                                        seatgate_log_fn SEATGATE_NULLABLE fn,
                                                        void* SEATGATE_NULLABLE user_data);

/* ---- client ------------------------------------------------------------ */

typedef struct seatgate_client seatgate_client_t;

SEATGATE_API seatgate_status_t
seatgate_client_new(const seatgate_options_t* SEATGATE_NULLABLE o,
                    seatgate_client_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API void seatgate_client_free(seatgate_client_t* SEATGATE_NULLABLE c);

/* Writes a fresh UUID v4 (36 chars + NUL) from the OS CSPRNG into out[37].
 * Persist it before reserve/confirm to resume after a crash. Thread-safe. */
SEATGATE_API seatgate_status_t seatgate_new_idempotency_key(char out[SEATGATE_NONNULL 37]);

/* ---- cancellation ------------------------------------------------------ */

typedef struct seatgate_cancel_token seatgate_cancel_token_t;

/* A token may be passed to any number of calls, sync or async, from any
 * threads; each call takes its own reference when it starts, so the token may
 * be freed at any time after that, also while the calls run (they are then
 * no longer cancellable through it). A long-lived token holds nothing for
 * calls that have finished. seatgate_cancel_token_cancel is thread-safe: a
 * call in backoff or in flight returns SEATGATE_ERR_CANCELLED; a call started
 * with a cancelled token sends nothing (attempts 0). */
SEATGATE_API seatgate_cancel_token_t* SEATGATE_NULLABLE seatgate_cancel_token_new(void);
SEATGATE_API void seatgate_cancel_token_cancel(seatgate_cancel_token_t* t);
SEATGATE_API void seatgate_cancel_token_free(seatgate_cancel_token_t* SEATGATE_NULLABLE t);

/* ---- results ----------------------------------------------------------- */

typedef struct seatgate_event seatgate_event_t;
typedef struct seatgate_reservation seatgate_reservation_t;
typedef struct seatgate_reservation_list seatgate_reservation_list_t;
typedef struct seatgate_queue_state seatgate_queue_state_t;

SEATGATE_API const char* seatgate_event_id(const seatgate_event_t* e);
SEATGATE_API const char* seatgate_event_name(const seatgate_event_t* e);
SEATGATE_API const char* seatgate_event_currency(const seatgate_event_t* e);
SEATGATE_API const char* seatgate_event_status(const seatgate_event_t* e);
SEATGATE_API int64_t seatgate_event_max_per_order(const seatgate_event_t* e);
SEATGATE_API int64_t seatgate_event_max_per_user(const seatgate_event_t* e);
SEATGATE_API size_t seatgate_event_zone_count(const seatgate_event_t* e);
/* Zone accessors take an index < zone_count; out of range gives NULL / -1. */
SEATGATE_API const char* SEATGATE_NULLABLE seatgate_event_zone_id(const seatgate_event_t* e,
                                                                  size_t i);
SEATGATE_API const char* SEATGATE_NULLABLE seatgate_event_zone_name(const seatgate_event_t* e,
                                                                    size_t i);
SEATGATE_API int64_t seatgate_event_zone_capacity(const seatgate_event_t* e, size_t i);
SEATGATE_API int64_t seatgate_event_zone_price(const seatgate_event_t* e, size_t i);
SEATGATE_API int64_t seatgate_event_zone_available(const seatgate_event_t* e,
                                                   size_t i); /* -1: unknown */
SEATGATE_API void seatgate_event_free(seatgate_event_t* SEATGATE_NULLABLE e);

SEATGATE_API const char* seatgate_reservation_id(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_event_id(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_zone_id(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_user_id(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_status(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_currency(const seatgate_reservation_t* r);
SEATGATE_API const char* seatgate_reservation_created_at(const seatgate_reservation_t* r);
/* NULL when absent. */
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_reservation_expires_at(const seatgate_reservation_t* r);
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_reservation_confirmed_at(const seatgate_reservation_t* r);
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_reservation_payment_ref(const seatgate_reservation_t* r);
SEATGATE_API int64_t seatgate_reservation_quantity(const seatgate_reservation_t* r);
SEATGATE_API int64_t seatgate_reservation_amount(const seatgate_reservation_t* r);
/* 1 when the server answered from the idempotency record (a replay). */
SEATGATE_API int seatgate_reservation_replayed(const seatgate_reservation_t* r);
SEATGATE_API void seatgate_reservation_free(seatgate_reservation_t* SEATGATE_NULLABLE r);

SEATGATE_API size_t seatgate_reservation_list_count(const seatgate_reservation_list_t* l);
/* Borrowed: valid while the list lives; NULL if i is out of range. */
SEATGATE_API const seatgate_reservation_t* SEATGATE_NULLABLE
seatgate_reservation_list_at(const seatgate_reservation_list_t* l, size_t i);
SEATGATE_API void seatgate_reservation_list_free(seatgate_reservation_list_t* SEATGATE_NULLABLE l);

/* "waiting", "admitted", "not_required" (the event has no waiting room),
 * "not_joined" (seatgate_queue_status only) or "left" (seatgate_leave_queue). */
SEATGATE_API const char* seatgate_queue_state_status(const seatgate_queue_state_t* q);
SEATGATE_API int64_t seatgate_queue_state_position(const seatgate_queue_state_t* q);
SEATGATE_API int64_t seatgate_queue_state_poll_after_ms(const seatgate_queue_state_t* q);
SEATGATE_API const char* seatgate_queue_state_pass(
    const seatgate_queue_state_t* q); /* "" unless admitted */
SEATGATE_API void seatgate_queue_state_free(seatgate_queue_state_t* SEATGATE_NULLABLE q);

/* JSON text of a result, as the server shapes it. Free with seatgate_string_free. */
SEATGATE_API char* SEATGATE_NULLABLE seatgate_event_to_json(const seatgate_event_t* e);
SEATGATE_API char* SEATGATE_NULLABLE seatgate_reservation_to_json(const seatgate_reservation_t* r);
SEATGATE_API void seatgate_string_free(char* SEATGATE_NULLABLE s);

/* ---- operations -------------------------------------------------------- */

typedef struct seatgate_reserve_params {
  const char* event_id;
  const char* zone_id;
  int64_t quantity;
  /* NULL: generated; reused by every retry. A caller's key may resume an
   * earlier attempt: the checks against the last seatgate_get_event
   * (availability, allowance) are then left to the server, which replays. */
  const char* SEATGATE_NULLABLE idempotency_key;
  const char* SEATGATE_NULLABLE queue_pass; /* NULL: the pass from the last queue call, if any */
} seatgate_reserve_params_t;

typedef struct seatgate_confirm_params {
  const char* reservation_id;
  const char* SEATGATE_NULLABLE payment_ref;     /* may be NULL */
  const char* SEATGATE_NULLABLE idempotency_key; /* NULL: generated */
} seatgate_confirm_params_t;

/* Per-call options of seatgate_reserve_ex (extensible: struct_size first,
 * see "Extensible structs" below). */
typedef struct seatgate_reserve_options {
  size_t struct_size;
  /* How long, in all, to wait for released seats after retryable 409
   * sold_out answers: 0 = as the retry policy allows (about 4 s with the
   * defaults); < 0 = fail at the first sold_out; > 0 = at most that many ms.
   * The same bound applies to a retryable 409 seats_taken (a picked seat is
   * held by another buyer, not sold). */
  int64_t sold_out_wait_ms;
  /* Assigned seating (read when struct_size covers them; see "assigned
   * seating" below). seats: seat_count ids ("A-12") to hold, all or nothing;
   * the params' quantity is then ignored. best_available = 1: the server
   * picks params.quantity adjacent seats; allow_split = 1 lets it split them
   * when no row has such a block. */
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE seats;
  size_t seat_count;
  int best_available;
  int allow_split;
} seatgate_reserve_options_t;

/* Synchronous calls: run on the calling thread; `cancel` may be NULL. */
SEATGATE_API seatgate_status_t seatgate_get_event(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_event_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t
seatgate_reserve(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                 seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                 seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                 seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
/* seatgate_reserve with per-call options (NULL: the defaults); a struct_size
 * smaller than the first version is SEATGATE_ERR_INVALID_ARGUMENT. */
SEATGATE_API seatgate_status_t
seatgate_reserve_ex(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                    const seatgate_reserve_options_t* SEATGATE_NULLABLE options,
                    seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                    seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t seatgate_get_reservation(
    seatgate_client_t* c, const char* id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t
seatgate_confirm(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                 seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                 seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                 seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t seatgate_release(
    seatgate_client_t* c, const char* id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
/* The user's reservations of one event. event_id is required: NULL or ""
 * fails with SEATGATE_ERR_VALIDATION (validation_event_id), nothing sent. */
SEATGATE_API seatgate_status_t seatgate_list_reservations(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_list_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t seatgate_join_queue(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API seatgate_status_t seatgate_queue_status(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);

SEATGATE_API seatgate_status_t seatgate_leave_queue(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
    seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);

/* ---- waiting for a queue pass ------------------------------------------ */

/* Told every "waiting" answer of a wait for a pass: the position (1 = next),
 * the server's poll_after_ms, and the delay the SDK waits before asking
 * again (poll_after_ms with +-20% jitter). Runs on the thread running the
 * call (the caller's for the sync call, the client's worker for the async
 * one). Must not call back into the same client from the worker. */
typedef void (*seatgate_position_fn)(void* SEATGATE_NULLABLE user_data, int64_t position,
                                     int64_t poll_after_ms, int64_t next_poll_in_ms);

typedef struct seatgate_wait_params {
  const char* event_id;
  /* Overall deadline in ms: 0 = the default, 30 minutes; < 0 = none. */
  int64_t deadline_ms;
  /* 0: join first (POST .../queue; idempotent, keeps the first place).
   * 1: resume: read the position first and join only if not in the room. */
  int resume;
  seatgate_position_fn SEATGATE_NULLABLE on_position; /* may be NULL */
  void* SEATGATE_NULLABLE position_user_data;         /* passed to on_position */
} seatgate_wait_params_t;

/* Waits in the event's waiting room until admitted (docs/waiting-room.md): joins,
 * then polls as the server's poll_after_ms says, with jitter, reporting each
 * position. On SEATGATE_OK *out is the final state: status "admitted" (the
 * pass is in seatgate_queue_state_pass, and the client remembers it: the
 * next seatgate_reserve of that event sends it when params.queue_pass is
 * NULL) or "not_required" (the event has no waiting room). Each request is
 * retried like any call; an error that is not retryable (event_not_found,
 * queue_limit_exceeded, ...) ends the wait. SEATGATE_ERR_DEADLINE_EXCEEDED
 * after deadline_ms; SEATGATE_ERR_CANCELLED at once when `cancel` is
 * cancelled, also mid-wait. Synchronous: blocks the calling thread for as
 * long as the wait lasts. Thread-safe like every sync call. */
SEATGATE_API seatgate_status_t
seatgate_wait_for_pass(seatgate_client_t* c, const seatgate_wait_params_t* p,
                       seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                       seatgate_queue_state_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                       seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);

/* Asynchronous calls: arguments are copied before returning; the call runs on
 * one of the client's worker threads and then `cb` runs exactly once, on that
 * thread or through the client's callback executor.
 * The callback OWNS `result` and `error` (exactly one is non-NULL) and must
 * free them. A non-OK return means the call was not queued and `cb` will not
 * run (invalid argument or out of memory). */
typedef void (*seatgate_event_cb)(void* SEATGATE_NULLABLE user_data, seatgate_status_t status,
                                  seatgate_event_t* SEATGATE_NULLABLE result,
                                  seatgate_error_t* SEATGATE_NULLABLE error);
typedef void (*seatgate_reservation_cb)(void* SEATGATE_NULLABLE user_data, seatgate_status_t status,
                                        seatgate_reservation_t* SEATGATE_NULLABLE result,
                                        seatgate_error_t* SEATGATE_NULLABLE error);
typedef void (*seatgate_reservation_list_cb)(void* SEATGATE_NULLABLE user_data,
                                             seatgate_status_t status,
                                             seatgate_reservation_list_t* SEATGATE_NULLABLE result,
                                             seatgate_error_t* SEATGATE_NULLABLE error);
typedef void (*seatgate_queue_state_cb)(void* SEATGATE_NULLABLE user_data, seatgate_status_t status,
                                        seatgate_queue_state_t* SEATGATE_NULLABLE result,
                                        seatgate_error_t* SEATGATE_NULLABLE error);

SEATGATE_API seatgate_status_t seatgate_get_event_async(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_event_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t
seatgate_reserve_async(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                       seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                       seatgate_reservation_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t
seatgate_reserve_ex_async(seatgate_client_t* c, const seatgate_reserve_params_t* p,
                          const seatgate_reserve_options_t* SEATGATE_NULLABLE options,
                          seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                          seatgate_reservation_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_get_reservation_async(
    seatgate_client_t* c, const char* id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t
seatgate_confirm_async(seatgate_client_t* c, const seatgate_confirm_params_t* p,
                       seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                       seatgate_reservation_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_release_async(
    seatgate_client_t* c, const char* id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_list_reservations_async(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_reservation_list_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_join_queue_async(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_queue_status_async(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_cb cb, void* SEATGATE_NULLABLE user_data);
SEATGATE_API seatgate_status_t seatgate_leave_queue_async(
    seatgate_client_t* c, const char* event_id, seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
    seatgate_queue_state_cb cb, void* SEATGATE_NULLABLE user_data);
/* The wait of seatgate_wait_for_pass on the client's worker thread: `p` is
 * copied (on_position and position_user_data are kept and must stay valid
 * until `cb` runs); on_position runs on the worker, `cb` as every callback.
 * The wait holds one worker thread for as long as it lasts; other async
 * calls run on the others (with seatgate_options_set_async_threads(o, 1)
 * they wait for it). Cancel the wait (or free the client) to stop it early. */
SEATGATE_API seatgate_status_t
seatgate_wait_for_pass_async(seatgate_client_t* c, const seatgate_wait_params_t* p,
                             seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                             seatgate_queue_state_cb cb, void* SEATGATE_NULLABLE user_data);

/* ---- bring your own transport: the sans-IO core as a step machine ------ */

/* For apps that keep their platform's HTTP stack (URLSession, OkHttp): the
 * SDK decides what to send, how to retry and when to give up; the app sends
 * the requests and arms the timers (docs/sdk.md, "Mobile apps").
 *
 *   seatgate_core_new(options, &core, &error);    base URL, token, retry policy
 *   seatgate_operation_new(core, &params, &op, &error);
 *   seatgate_step_kind_t k = seatgate_operation_start(op);
 *   for (;;) {
 *     if (k == SEATGATE_STEP_SEND) {        seatgate_operation_request(op, &req)
 *       send req; then seatgate_operation_on_response(op, &resp) or
 *       seatgate_operation_on_transport_error(op, failure, detail);
 *     } else if (k == SEATGATE_STEP_WAIT) { arm a timer for
 *       seatgate_operation_wait_ms(op); when it fires seatgate_operation_on_timer(op);
 *     } else break;                         DONE: seatgate_operation_reservation etc.
 *   }                                       FAILED: seatgate_operation_error
 *
 * seatgate_operation_cancel(op) may replace the pending input at any time
 * (drop the request in flight or the timer). Nothing here does I/O, sleeps or
 * starts a thread. A core is thread-safe (its operations share the retry
 * budget and the snapshots used by validation); one operation must be driven
 * from one thread at a time. An operation keeps what it needs of its core:
 * the core may be freed first. The base URL, token (or token provider),
 * timeouts (the per-attempt one is in each request), retry policy, budget,
 * on_retry and user agent of the options apply; the connect timeout is the
 * transport's business, and so are the request and attempt hooks (your
 * send code adds its own headers and sees every response; the log callback
 * gets the retry lines only). */

typedef struct seatgate_core seatgate_core_t;
typedef struct seatgate_operation seatgate_operation_t;

typedef enum seatgate_operation_kind {
  SEATGATE_OP_GET_EVENT = 0,
  SEATGATE_OP_RESERVE = 1,
  SEATGATE_OP_GET_RESERVATION = 2,
  SEATGATE_OP_CONFIRM = 3,
  SEATGATE_OP_RELEASE = 4,
  SEATGATE_OP_LIST_RESERVATIONS = 5,
  SEATGATE_OP_JOIN_QUEUE = 6,
  SEATGATE_OP_QUEUE_STATUS = 7,
  SEATGATE_OP_LEAVE_QUEUE = 8,
  SEATGATE_OP_WAIT_FOR_PASS = 9,
  SEATGATE_OP_GET_SEAT_MAP = 10 /* event_id, zone_id; result: seatgate_operation_seat_map */
} seatgate_operation_kind_t;

typedef enum seatgate_step_kind {
  SEATGATE_STEP_SEND = 1,  /* perform seatgate_operation_request */
  SEATGATE_STEP_WAIT = 2,  /* wait seatgate_operation_wait_ms, then on_timer */
  SEATGATE_STEP_DONE = 3,  /* seatgate_operation_event, ..._reservation, ... give the result */
  SEATGATE_STEP_FAILED = 4 /* seatgate_operation_error says why */
} seatgate_step_kind_t;

typedef enum seatgate_transport_failure {
  SEATGATE_TRANSPORT_NETWORK = 1, /* refused, reset, DNS, sent without an answer: retried */
  SEATGATE_TRANSPORT_TIMEOUT = 2, /* no whole answer within the request's timeout: retried */
  SEATGATE_TRANSPORT_TLS = 3      /* certificate refused (or pinning failed): not retried */
} seatgate_transport_failure_t;

/* Extensible structs: set struct_size to sizeof(the struct) as your header
 * declares it. Later versions only add fields at the end; the library reads
 * (or, for outputs, writes) only the fields that fit in struct_size, and
 * fields beyond it take their defaults. A struct_size smaller than the first
 * version of the struct is SEATGATE_ERR_INVALID_ARGUMENT. Zero-initialise
 * the rest ({0} / memset) so new fields start from their defaults. */

/* An operation's inputs; each kind reads only its own fields (the same as
 * the matching function above). */
typedef struct seatgate_operation_params {
  size_t struct_size;
  seatgate_operation_kind_t kind;
  const char* SEATGATE_NULLABLE event_id;        /* every event operation, reserve, wait_for_pass */
  const char* SEATGATE_NULLABLE zone_id;         /* reserve */
  int64_t quantity;                              /* reserve */
  const char* SEATGATE_NULLABLE reservation_id;  /* get_reservation, confirm, release */
  const char* SEATGATE_NULLABLE idempotency_key; /* reserve, confirm; NULL: generated */
  const char* SEATGATE_NULLABLE queue_pass;      /* reserve; NULL: the remembered pass, if any */
  const char* SEATGATE_NULLABLE payment_ref;     /* confirm; may be NULL */
  int64_t wait_deadline_ms;                      /* wait_for_pass: 0 = 30 minutes, < 0 = none */
  int wait_resume;                               /* wait_for_pass: 1 = read the position first */
  /* Added in 0.1 after the fields above (read when struct_size covers it).
   * reserve: how long, in all, to wait for released seats after retryable
   * 409 sold_out answers: 0 = as the retry policy allows (about 4 s with the
   * defaults); < 0 = fail at the first sold_out; > 0 = at most that many ms. */
  int64_t sold_out_wait_ms;
  /* reserve in a seated zone, as in seatgate_reserve_options_t. */
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE seats;
  size_t seat_count;
  int best_available;
  int allow_split;
} seatgate_operation_params_t;

/* A request to send, filled by seatgate_operation_request. Borrowed from the
 * operation: valid until its next input (on_response, on_transport_error,
 * on_timer, cancel) or its free. */
typedef struct seatgate_http_request {
  size_t struct_size;
  const char* method; /* "GET", "POST", "DELETE" */
  const char* url;    /* base URL + path and query */
  size_t header_count;
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE
      header_names; /* header_count entries each */
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE header_values;
  const char* body; /* "" when none; NUL-terminated */
  size_t body_length;
  int64_t timeout_ms; /* the whole attempt, already clipped to the deadline */
} seatgate_http_request_t;

/* A response (any status), given to seatgate_operation_on_response; borrowed
 * for the call. header_names/header_values may be NULL when header_count is
 * 0; body may be NULL when body_length is 0. A NULL response, a struct_size
 * too small or NULL arrays that should not be count as a network failure. */
typedef struct seatgate_http_response {
  size_t struct_size;
  int status;
  size_t header_count;
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE header_names;
  const char* SEATGATE_NONNULL const* SEATGATE_NULLABLE header_values;
  const char* SEATGATE_NULLABLE body; /* need not be NUL-terminated */
  size_t body_length;
} seatgate_http_response_t;

/* `options` may be NULL (defaults); it is copied. */
SEATGATE_API seatgate_status_t
seatgate_core_new(const seatgate_options_t* SEATGATE_NULLABLE options,
                  seatgate_core_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                  seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API void seatgate_core_free(seatgate_core_t* SEATGATE_NULLABLE core);

/* Creates an operation; nothing is sent or validated until start. */
SEATGATE_API seatgate_status_t
seatgate_operation_new(seatgate_core_t* core, const seatgate_operation_params_t* params,
                       seatgate_operation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                       seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
SEATGATE_API void seatgate_operation_free(seatgate_operation_t* SEATGATE_NULLABLE op);

/* The inputs; each returns the next step. An input given when the operation
 * does not wait for it (or a NULL op) returns SEATGATE_STEP_FAILED. */
SEATGATE_API seatgate_step_kind_t seatgate_operation_start(seatgate_operation_t* op);
SEATGATE_API seatgate_step_kind_t
seatgate_operation_on_response(seatgate_operation_t* op, const seatgate_http_response_t* response);
/* detail: a readable sentence for the error message, may be NULL. */
SEATGATE_API seatgate_step_kind_t seatgate_operation_on_transport_error(
    seatgate_operation_t* op, seatgate_transport_failure_t failure,
    const char* SEATGATE_NULLABLE detail);
SEATGATE_API seatgate_step_kind_t seatgate_operation_on_timer(seatgate_operation_t* op);
/* Fails the operation with "cancelled" (unless it has finished). unsent = 1
 * when the pending request was never handed to the network: it is then not
 * counted in attempts. */
SEATGATE_API seatgate_step_kind_t seatgate_operation_cancel(seatgate_operation_t* op, int unsent);

/* The current step (SEATGATE_STEP_FAILED before start): its kind, the request of a SEND step, the
 * delay of a WAIT step (for wait_for_pass, a WAIT may also be a poll of the waiting room: position
 * > 0, else -1). */
SEATGATE_API seatgate_step_kind_t seatgate_operation_step(const seatgate_operation_t* op);
SEATGATE_API seatgate_status_t seatgate_operation_request(const seatgate_operation_t* op,
                                                          seatgate_http_request_t* out);
SEATGATE_API int64_t seatgate_operation_wait_ms(const seatgate_operation_t* op);
SEATGATE_API int64_t seatgate_operation_wait_position(const seatgate_operation_t* op);
/* Requests handed to the transport so far. */
SEATGATE_API int seatgate_operation_attempts(const seatgate_operation_t* op);
/* The idempotency key sent on every attempt (reserve, confirm), else "". */
SEATGATE_API const char* seatgate_operation_idempotency_key(const seatgate_operation_t* op);

/* After DONE: the result as a new handle the caller frees, or
 * SEATGATE_ERR_INVALID_ARGUMENT when the operation is not done or its
 * result is of another type (get_event: event; reserve, get_reservation,
 * confirm, release: reservation; list_reservations: list; queue operations:
 * queue state). May be called more than once. */
SEATGATE_API seatgate_status_t seatgate_operation_event(
    const seatgate_operation_t* op, seatgate_event_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);
SEATGATE_API seatgate_status_t
seatgate_operation_reservation(const seatgate_operation_t* op,
                               seatgate_reservation_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);
SEATGATE_API seatgate_status_t seatgate_operation_reservation_list(
    const seatgate_operation_t* op,
    seatgate_reservation_list_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);
SEATGATE_API seatgate_status_t
seatgate_operation_queue_state(const seatgate_operation_t* op,
                               seatgate_queue_state_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);
/* After FAILED: a new error (the caller frees it) and its status; SEATGATE_OK
 * and *out = NULL when the operation has not failed. */
SEATGATE_API seatgate_status_t seatgate_operation_error(
    const seatgate_operation_t* op, seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);

/* ---- assigned seating (docs/seating.md) ----------------------------------
 *
 * A seated zone sells numbered seats ("A-12": row A, seat 12). Hold picked
 * seats, all or nothing, or the best available block, with seatgate_reserve_ex
 * and the seat fields of seatgate_reserve_options_t; draw the zone with
 * seatgate_get_seat_map.
 *
 * Checked before the network (SEATGATE_ERR_VALIDATION, nothing sent):
 *   validation_unknown_seat    an id that is not "<row>-<number>", or not a
 *                              seat of the zone's last fetched seat map
 *   validation_duplicate_seat  an id given twice
 *   validation_seat_taken      a seat held, sold or unavailable in a seat map
 *                              fetched less than 5 s ago (the ids:
 *                              seatgate_error_taken_*)
 *   validation_seat_selection  seats and best_available together, or
 *                              allow_split without best_available
 *   validation_quantity, validation_above_*: the number of seats, as for a
 *                              general zone
 * The server's answers: SEATGATE_CODE_SEATS_TAKEN (409; the ids in
 * seatgate_error_taken_*; retried only while the server says retryable, i.e.
 * a seat is held, not sold, and within sold_out_wait_ms),
 * SEATGATE_CODE_INVALID_SEATS (422, never retried),
 * SEATGATE_CODE_NO_ADJACENT_SEATS (409, never retried: no row has the block;
 * ask for fewer seats or allow_split), SEATGATE_CODE_ZONE_NOT_SEATED (409). */

#define SEATGATE_CODE_SEATS_TAKEN "seats_taken"
#define SEATGATE_CODE_INVALID_SEATS "invalid_seats"
#define SEATGATE_CODE_NO_ADJACENT_SEATS "no_adjacent_seats"
#define SEATGATE_CODE_ZONE_NOT_SEATED "zone_not_seated"
#define SEATGATE_CODE_VALIDATION_UNKNOWN_SEAT "validation_unknown_seat"
#define SEATGATE_CODE_VALIDATION_DUPLICATE_SEAT "validation_duplicate_seat"
#define SEATGATE_CODE_VALIDATION_SEAT_TAKEN "validation_seat_taken"
#define SEATGATE_CODE_VALIDATION_SEAT_SELECTION "validation_seat_selection"

/* seats_taken / validation_seat_taken: the seats named taken (borrowed from
 * the error); 0 / NULL otherwise or out of range. */
SEATGATE_API size_t seatgate_error_taken_count(const seatgate_error_t* SEATGATE_NULLABLE e);
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_error_taken_at(const seatgate_error_t* SEATGATE_NULLABLE e, size_t i);

/* A reservation's seats (seated zones; 0 for a general zone). Borrowed from
 * the reservation. */
SEATGATE_API size_t seatgate_reservation_seat_count(const seatgate_reservation_t* r);
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_reservation_seat_at(const seatgate_reservation_t* r, size_t i);

/* A seated zone's seat map (GET /v1/events/{id}/zones/{zone}/seats).
 * Immutable; strings are borrowed from it. */
typedef struct seatgate_seat_map seatgate_seat_map_t;

/* Fetches the map. The client keeps the last map of each zone: the next
 * fetch sends its ETag (If-None-Match) and an unchanged map costs no
 * transfer (seatgate_seat_map_not_modified = 1); seatgate_reserve_ex checks
 * picked seats against that copy (see above). Thread-safe like every sync
 * call. A general-admission zone fails with zone_not_seated. */
SEATGATE_API seatgate_status_t
seatgate_get_seat_map(seatgate_client_t* c, const char* event_id, const char* zone_id,
                      seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                      seatgate_seat_map_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                      seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
typedef void (*seatgate_seat_map_cb)(void* SEATGATE_NULLABLE user_data, seatgate_status_t status,
                                     seatgate_seat_map_t* SEATGATE_NULLABLE result,
                                     seatgate_error_t* SEATGATE_NULLABLE error);
/* As every async call: `cb` owns the map or the error. */
SEATGATE_API seatgate_status_t
seatgate_get_seat_map_async(seatgate_client_t* c, const char* event_id, const char* zone_id,
                            seatgate_cancel_token_t* SEATGATE_NULLABLE cancel,
                            seatgate_seat_map_cb cb, void* SEATGATE_NULLABLE user_data);

SEATGATE_API const char* seatgate_seat_map_event_id(const seatgate_seat_map_t* m);
SEATGATE_API const char* seatgate_seat_map_zone_id(const seatgate_seat_map_t* m);
/* Seats in state 'a'. */
SEATGATE_API int64_t seatgate_seat_map_available(const seatgate_seat_map_t* m);
/* The answer's ETag ("" if none). */
SEATGATE_API const char* seatgate_seat_map_etag(const seatgate_seat_map_t* m);
/* 1 when the server answered 304 and this is the client's unchanged copy. */
SEATGATE_API int seatgate_seat_map_not_modified(const seatgate_seat_map_t* m);
/* Rows, front first. Row accessors take an index < row_count; out of range
 * gives NULL / -1. */
SEATGATE_API size_t seatgate_seat_map_row_count(const seatgate_seat_map_t* m);
SEATGATE_API const char* SEATGATE_NULLABLE seatgate_seat_map_row_id(const seatgate_seat_map_t* m,
                                                                    size_t row);
SEATGATE_API int64_t seatgate_seat_map_row_seats(const seatgate_seat_map_t* m, size_t row);
/* One letter per seat of the row, seat 1 first: 'a' available, 'h' held,
 * 's' sold, 'u' unavailable. */
SEATGATE_API const char* SEATGATE_NULLABLE
seatgate_seat_map_row_states(const seatgate_seat_map_t* m, size_t row);
/* The row's aisles: an aisle after seat number aisle_at(row, j). */
SEATGATE_API size_t seatgate_seat_map_row_aisle_count(const seatgate_seat_map_t* m, size_t row);
SEATGATE_API int64_t seatgate_seat_map_row_aisle_at(const seatgate_seat_map_t* m, size_t row,
                                                    size_t j);
/* A seat's state letter by id ("A-12"), or 0 when the map has no such seat. */
SEATGATE_API char seatgate_seat_map_seat_state(const seatgate_seat_map_t* m, const char* seat_id);
/* The map as JSON (the server's shape, plus "etag"); free with seatgate_string_free. */
SEATGATE_API char* SEATGATE_NULLABLE seatgate_seat_map_to_json(const seatgate_seat_map_t* m);
SEATGATE_API void seatgate_seat_map_free(seatgate_seat_map_t* SEATGATE_NULLABLE m);
/* The step API's result of SEATGATE_OP_GET_SEAT_MAP (see seatgate_operation_event). */
SEATGATE_API seatgate_status_t seatgate_operation_seat_map(
    const seatgate_operation_t* op, seatgate_seat_map_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out);

/* ---- live availability ---------------------------------------------------
 * A watch reads GET /v1/events/{id}/stream (Server-Sent Events) on a thread
 * of its own (the client's thread hooks run on it) and tells each change of
 * the event's availability; while the server refuses the stream (503, 429,
 * streams off) or cannot be reached it polls seatgate_get_event instead and
 * tries the stream again after stream_retry_ms. A stream the server ends is
 * reopened after the server's retry hint. docs/sdk.md, "Live availability". */

typedef struct seatgate_watch seatgate_watch_t;

/* The event now (borrowed: valid during the call; copy what you keep, e.g.
 * with seatgate_event_to_json). live: 1 from the stream, 0 from polling. */
typedef void (*seatgate_availability_fn)(void* SEATGATE_NULLABLE user_data,
                                         const seatgate_event_t* event, int live);
/* A failure (borrowed error). The watch goes on, except when final is 1
 * (event_not_found, a 400, validation_*): no callback runs after that one. */
typedef void (*seatgate_watch_error_fn)(void* SEATGATE_NULLABLE user_data,
                                        const seatgate_error_t* error, int final);

/* Extensible (struct_size first). */
typedef struct seatgate_watch_params {
  size_t struct_size;
  const char* event_id;
  seatgate_availability_fn on_update;
  seatgate_watch_error_fn SEATGATE_NULLABLE on_error;
  void* SEATGATE_NULLABLE user_data; /* passed to both */
  int64_t poll_interval_ms;          /* polling get_event: 0 = 3000 */
  int64_t stream_retry_ms;           /* polling before the stream is tried again: 0 = 30000 */
} seatgate_watch_params_t;

/* Starts a watch. It polls with a client of its own made from this client's
 * options, so the client may be freed first. */
SEATGATE_API seatgate_status_t
seatgate_watch_availability(seatgate_client_t* c, const seatgate_watch_params_t* params,
                            seatgate_watch_t* SEATGATE_NULLABLE* SEATGATE_NONNULL out,
                            seatgate_error_t* SEATGATE_NULLABLE* SEATGATE_NULLABLE error);
/* 1 while the watch runs; 0 once a final error ended it. */
SEATGATE_API int seatgate_watch_running(const seatgate_watch_t* w);
/* Stops and frees the watch. From another thread it returns once the watch's
 * thread has ended (no callback runs after it); from one of the watch's own
 * callbacks it returns at once, that callback is the last, and the thread
 * frees the rest when it ends. */
SEATGATE_API void seatgate_watch_free(seatgate_watch_t* SEATGATE_NULLABLE w);
/* Webhooks (docs/webhooks.md "Verifying a delivery"): checks a delivery's
 * Seatgate-Signature `header` against the raw `body` (`body_len` bytes) and
 * the endpoint's `secret`, with t at most `tolerance_s` (300 is usual) from
 * `now_s` (unix seconds). Returns one of SEATGATE_WEBHOOK_*. */
#define SEATGATE_WEBHOOK_VALID 0
#define SEATGATE_WEBHOOK_MALFORMED_HEADER 1 /* no t=, or no v1= */
#define SEATGATE_WEBHOOK_BAD_SIGNATURE 2    /* wrong secret, or the body or t changed */
#define SEATGATE_WEBHOOK_TOO_OLD 3          /* t further than tolerance_s from now_s */
#define SEATGATE_WEBHOOK_INVALID_ARGUMENT 4
SEATGATE_API int seatgate_webhook_verify(const char* secret, const char* header, const char* body,
                                         size_t body_len, int64_t now_s, int64_t tolerance_s);

SEATGATE_ASSUME_NONNULL_END

#ifdef __cplusplus
}
#endif

#endif /* SEATGATE_H */
