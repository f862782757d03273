/* The C API's hooks for mobile apps, against a real seatgate-server and
 * redis-server: async calls that do not queue behind a slow one (a wait in
 * a full waiting room), callbacks on an app-chosen queue (the executor
 * hook), JNI-style attach/detach hooks on every worker thread, the app's
 * randomness, and a client freed from its own callback while another of
 * its calls still runs on another worker thread; the request and response
 * hooks on every attempt of a retried call. */
#include <seatgate.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "real_server.h"

int failures = 0;

static const char* kRoom =
    "{\"enabled\":true,\"capacity\":1,\"admit_per_s\":1,\"pass_ttl_s\":600,"
    "\"max_queues_per_user\":2}";

/* ---- an app queue: one thread running the tasks the executor hands it --- */
typedef struct app_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  seatgate_task_fn tasks[64];
  void* contexts[64];
  int head, tail, stop;
  pthread_t thread;
} app_queue_t;

static void* app_queue_main(void* p) {
  app_queue_t* q = p;
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (q->head == q->tail && !q->stop) pthread_cond_wait(&q->cv, &q->mu);
    if (q->head == q->tail) break;
    seatgate_task_fn task = q->tasks[q->head % 64];
    void* ctx = q->contexts[q->head % 64];
    ++q->head;
    pthread_mutex_unlock(&q->mu);
    task(ctx);
    pthread_mutex_lock(&q->mu);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

/* The executor hook: like dispatch_async_f(queue, context, task). */
static void app_queue_executor(void* data, seatgate_task_fn task, void* ctx) {
  app_queue_t* q = data;
  pthread_mutex_lock(&q->mu);
  q->tasks[q->tail % 64] = task;
  q->contexts[q->tail % 64] = ctx;
  ++q->tail;
  pthread_cond_signal(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

/* ---- callbacks record into a waiter ------------------------------------- */
typedef struct waiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  seatgate_status_t status;
  char text[64];
  pthread_t thread;
  seatgate_client_t* free_me; /* freed from the callback when set */
} waiter_t;

static void waiter_init(waiter_t* w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
}
static void waiter_wait(waiter_t* w, int n) {
  pthread_mutex_lock(&w->mu);
  while (w->done < n) pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
}
static int waiter_done(waiter_t* w) {
  pthread_mutex_lock(&w->mu);
  int n = w->done;
  pthread_mutex_unlock(&w->mu);
  return n;
}
static void finish(waiter_t* w, seatgate_status_t st, const char* text) {
  if (w->free_me) seatgate_client_free(w->free_me); /* a Kotlin finaliser in a callback */
  pthread_mutex_lock(&w->mu);
  w->status = st;
  snprintf(w->text, sizeof w->text, "%s", text ? text : "");
  w->thread = pthread_self();
  ++w->done;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}
static void on_event(void* ud, seatgate_status_t st, seatgate_event_t* ev, seatgate_error_t* e) {
  finish(ud, st, ev ? seatgate_event_name(ev) : seatgate_error_code(e));
  seatgate_event_free(ev);
  seatgate_error_free(e);
}
static void on_queue(void* ud, seatgate_status_t st, seatgate_queue_state_t* q,
                     seatgate_error_t* e) {
  finish(ud, st, q ? seatgate_queue_state_status(q) : seatgate_error_code(e));
  seatgate_queue_state_free(q);
  seatgate_error_free(e);
}

/* ---- thread hooks: count attaches and detaches -------------------------- */
static int attached = 0, detached = 0;
static void on_attach(void* ud) {
  (void)ud;
  __atomic_add_fetch(&attached, 1, __ATOMIC_SEQ_CST);
}
static void on_detach(void* ud) {
  (void)ud;
  __atomic_add_fetch(&detached, 1, __ATOMIC_SEQ_CST);
}

static seatgate_options_t* options_for(const char* user) {
  char token[1024];
  real_server_user_token(user, token, sizeof token);
  seatgate_options_t* o = seatgate_options_new();
  CHECK(seatgate_options_set_base_url(o, real_server_base_url()) == SEATGATE_OK);
  CHECK(seatgate_options_set_token(o, token) == SEATGATE_OK);
  return o;
}

static seatgate_client_t* client_of(seatgate_options_t* o) {
  seatgate_client_t* c = NULL;
  CHECK(seatgate_client_new(o, &c, NULL) == SEATGATE_OK);
  seatgate_options_free(o);
  return c;
}

/* Ann takes the room's only pass; Bob's wait for a pass then lasts (the pass
 * is good for 10 minutes), holding one of his client's worker threads. */
static void fill_room(void) {
  CHECK(real_server_put_event("c-room", 10, kRoom) / 100 == 2);
  seatgate_client_t* ann = client_of(options_for("ann"));
  seatgate_wait_params_t wp = {"c-room", 0, 0, NULL, NULL};
  seatgate_queue_state_t* st = NULL;
  CHECK(seatgate_wait_for_pass(ann, &wp, NULL, &st, NULL) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_status(st), "admitted");
  seatgate_queue_state_free(st);
  seatgate_client_free(ann);
}

static void test_slow_call_does_not_hold_others(void) {
  app_queue_t q;
  memset(&q, 0, sizeof q);
  pthread_mutex_init(&q.mu, NULL);
  pthread_cond_init(&q.cv, NULL);
  CHECK(pthread_create(&q.thread, NULL, app_queue_main, &q) == 0);

  seatgate_options_t* o = options_for("bob");
  CHECK(seatgate_options_set_callback_executor(o, app_queue_executor, &q) == SEATGATE_OK);
  CHECK(seatgate_options_set_thread_hooks(o, on_attach, on_detach, NULL) == SEATGATE_OK);
  CHECK(seatgate_options_set_async_threads(o, 0) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_client_t* bob = client_of(o);

  waiter_t wait_done, event_done;
  waiter_init(&wait_done);
  waiter_init(&event_done);
  seatgate_cancel_token_t* t = seatgate_cancel_token_new();
  seatgate_wait_params_t wp = {"c-room", -1, 0, NULL, NULL};
  CHECK(seatgate_wait_for_pass_async(bob, &wp, t, on_queue, &wait_done) == SEATGATE_OK);
  /* Submitted after the wait: answered while the wait goes on. */
  CHECK(seatgate_get_event_async(bob, "c-room", NULL, on_event, &event_done) == SEATGATE_OK);
  waiter_wait(&event_done, 1);
  CHECK(event_done.status == SEATGATE_OK);
  CHECK_STR(event_done.text, "C Test");
  CHECK(waiter_done(&wait_done) == 0);               /* still waiting in the room */
  CHECK(pthread_equal(event_done.thread, q.thread)); /* on the app's queue */

  seatgate_cancel_token_cancel(t);
  waiter_wait(&wait_done, 1);
  CHECK(wait_done.status == SEATGATE_ERR_CANCELLED);
  CHECK_STR(wait_done.text, "cancelled");
  CHECK(pthread_equal(wait_done.thread, q.thread));
  seatgate_cancel_token_free(t);

  seatgate_client_free(bob);
  CHECK(attached >= 2); /* one thread per busy call */
  CHECK(attached == detached);

  pthread_mutex_lock(&q.mu);
  q.stop = 1;
  pthread_cond_signal(&q.cv);
  pthread_mutex_unlock(&q.mu);
  pthread_join(q.thread, NULL);
}

/* Freed from a callback on one worker thread while the wait still runs on
 * another: the wait is cancelled, its callback runs, the last thread frees. */
static void test_free_from_callback_with_a_call_running(void) {
  seatgate_client_t* cleo = client_of(options_for("cleo"));
  waiter_t wait_done, event_done;
  waiter_init(&wait_done);
  waiter_init(&event_done);
  event_done.free_me = cleo;
  seatgate_wait_params_t wp = {"c-room", -1, 0, NULL, NULL};
  CHECK(seatgate_wait_for_pass_async(cleo, &wp, NULL, on_queue, &wait_done) == SEATGATE_OK);
  CHECK(seatgate_get_event_async(cleo, "c-room", NULL, on_event, &event_done) == SEATGATE_OK);
  waiter_wait(&event_done, 1);
  CHECK(event_done.status == SEATGATE_OK);
  waiter_wait(&wait_done, 1);
  CHECK(wait_done.status == SEATGATE_ERR_CANCELLED);
}

static int random_calls = 0;
static int fixed_random(void* ud, uint8_t* buf, size_t n) {
  (void)ud;
  __atomic_add_fetch(&random_calls, 1, __ATOMIC_SEQ_CST);
  memset(buf, 0x42, n);
  return 0;
}

static void test_random_hook(void) {
  seatgate_options_t* o = options_for("dora");
  CHECK(seatgate_options_set_random(o, fixed_random, NULL) == SEATGATE_OK);
  seatgate_core_t* core = NULL;
  CHECK(seatgate_core_new(o, &core, NULL) == SEATGATE_OK);
  seatgate_operation_params_t p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.kind = SEATGATE_OP_RESERVE;
  p.event_id = "c-room";
  p.zone_id = "floor";
  p.quantity = 1;
  seatgate_operation_t* op = NULL;
  CHECK(seatgate_operation_new(core, &p, &op, NULL) == SEATGATE_OK);
  CHECK_STR(seatgate_operation_idempotency_key(op), "42424242-4242-4242-8242-424242424242");
  CHECK(random_calls == 1);
  seatgate_operation_free(op);
  seatgate_core_free(core);

  /* The bundled-transport client uses it too: its generated key reaches the
   * server, which replays the hold for the same key. */
  seatgate_client_t* c = client_of(o);
  CHECK(real_server_put_event("c-random", 10, NULL) / 100 == 2);
  seatgate_reserve_params_t rp = {"c-random", "floor", 1, NULL, NULL};
  seatgate_reservation_t* first = NULL;
  seatgate_reservation_t* second = NULL;
  CHECK(seatgate_reserve(c, &rp, NULL, &first, NULL) == SEATGATE_OK);
  CHECK(seatgate_reserve(c, &rp, NULL, &second, NULL) == SEATGATE_OK);
  CHECK(random_calls == 3);
  CHECK(second && seatgate_reservation_replayed(second) == 1);
  seatgate_reservation_free(first);
  seatgate_reservation_free(second);
  seatgate_client_free(c);
}

static int attempts_seen = 0, log_lines = 0;
static char last_request_id[128], last_log[512];
static void on_attempt(void* ud, const seatgate_attempt_t* a) {
  (void)ud;
  ++attempts_seen;
  CHECK(a->struct_size >= sizeof *a);
  CHECK_STR(a->method, "GET");
  CHECK(strstr(a->url, "/v1/events/c-random") != NULL);
  CHECK(a->status == 200);
  CHECK_STR(a->failure, "");
  CHECK(a->elapsed_ms >= 0);
  snprintf(last_request_id, sizeof last_request_id, "%s", a->request_id);
}
static void on_log(void* ud, seatgate_log_level_t level, const char* message) {
  (void)ud;
  CHECK(level == SEATGATE_LOG_DEBUG);
  ++log_lines;
  snprintf(last_log, sizeof last_log, "%s", message);
}

/* The observability hooks see every attempt of the bundled transport. */
static void test_attempt_and_log_hooks(void) {
  seatgate_options_t* o = options_for("eve");
  CHECK(seatgate_options_set_on_attempt(o, on_attempt, NULL) == SEATGATE_OK);
  CHECK(seatgate_options_set_log(o, on_log, NULL) == SEATGATE_OK);
  seatgate_client_t* c = client_of(o);
  seatgate_event_t* ev = NULL;
  CHECK(seatgate_get_event(c, "c-random", NULL, &ev, NULL) == SEATGATE_OK);
  seatgate_event_free(ev);
  CHECK(attempts_seen == 1);
  CHECK(log_lines == 1);
  CHECK(strlen(last_request_id) > 0);
  CHECK(strstr(last_log, "GET ") == last_log && strstr(last_log, "-> 200") != NULL);
  CHECK(strstr(last_log, last_request_id) != NULL);
  seatgate_client_free(c);
}

/* seatgate_reserve_ex: per-call control of the wait for released seats. */
static void test_reserve_ex_sold_out_wait(void) {
  CHECK(real_server_put_event("c-full", 1, NULL) / 100 == 2);
  seatgate_client_t* fay = client_of(options_for("fay"));
  seatgate_client_t* gus = client_of(options_for("gus"));
  seatgate_reserve_params_t rp = {"c-full", "floor", 1, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_reserve(fay, &rp, NULL, &r, NULL) == SEATGATE_OK);
  seatgate_reservation_free(r);

  seatgate_reserve_options_t ro;
  memset(&ro, 0, sizeof ro);
  ro.struct_size = sizeof ro;
  ro.sold_out_wait_ms = -1; /* do not wait for released seats */
  seatgate_error_t* e = NULL;
  r = NULL;
  CHECK(seatgate_reserve_ex(gus, &rp, &ro, NULL, &r, &e) == SEATGATE_ERR_SERVER);
  CHECK(r == NULL);
  CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_SOLD_OUT);
  CHECK(seatgate_error_attempts(e) == 1);
  CHECK(seatgate_error_retryable(e) == 1);
  CHECK(strlen(seatgate_error_request_id(e)) > 0);
  CHECK(seatgate_error_retry_after_ms(e) >= 1000);
  seatgate_error_free(e);

  ro.struct_size = 1; /* older than any version */
  e = NULL;
  CHECK(seatgate_reserve_ex(gus, &rp, &ro, NULL, &r, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_error_free(e);
  seatgate_client_free(gus);
  seatgate_client_free(fay);
}

/* ---- the request hook ---------------------------------------------------- */
typedef struct hook_log {
  pthread_mutex_t mu;
  int requests, answers;
  int attempts[8], answer_attempts[8], statuses[8];
  char keys[8][40], answer_keys[8][40], request_ids[8][40], operations[8][24];
  int refused; /* SDK-owned or malformed headers refused */
  pthread_t thread;
} hook_log_t;

static void on_request(void* ud, const seatgate_request_info_t* r,
                       seatgate_request_headers_t* h) {
  hook_log_t* l = ud;
  char id[40];
  snprintf(id, sizeof id, "c-hook-%d", r->attempt);
  /* None of these may replace or split the SDK's headers. */
  int refused = (seatgate_request_headers_add(h, "Idempotency-Key", "forged") ==
                 SEATGATE_ERR_INVALID_ARGUMENT) +
                (seatgate_request_headers_add(h, "authorization", "Bearer x") ==
                 SEATGATE_ERR_INVALID_ARGUMENT) +
                (seatgate_request_headers_add(h, "X-Trace", "a\r\nQueue-Pass: x") ==
                 SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_request_headers_add(h, "X-Request-Id", id) == SEATGATE_OK);
  CHECK(seatgate_request_headers_add(h, "x-request-id", "again") ==
        SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(r->struct_size >= sizeof *r);
  pthread_mutex_lock(&l->mu);
  int i = l->requests++ % 8;
  l->attempts[i] = r->attempt;
  l->refused += refused;
  snprintf(l->keys[i], sizeof l->keys[i], "%s", r->idempotency_key);
  snprintf(l->operations[i], sizeof l->operations[i], "%s", r->operation);
  l->thread = pthread_self();
  pthread_mutex_unlock(&l->mu);
}

static void on_answer(void* ud, const seatgate_attempt_t* a) {
  hook_log_t* l = ud;
  pthread_mutex_lock(&l->mu);
  int i = l->answers++ % 8;
  l->answer_attempts[i] = a->attempt;
  l->statuses[i] = a->status;
  snprintf(l->answer_keys[i], sizeof l->answer_keys[i], "%s", a->idempotency_key);
  snprintf(l->request_ids[i], sizeof l->request_ids[i], "%s", a->request_id);
  pthread_mutex_unlock(&l->mu);
}

/* Against the sold-out "c-full" (fay holds its one seat): a reserve that may
 * wait 2.5 s for released seats makes 3 attempts (the server's Retry-After
 * is 1 s). The request hook sees each, with one key; the X-Request-Id it
 * adds reaches the server, which answers with it; the SDK's headers cannot
 * be touched; the response hook sees the same attempts. Then an async call:
 * the hook runs on the worker thread, before the callback. */
static void test_request_hook(void) {
  hook_log_t l;
  memset(&l, 0, sizeof l);
  pthread_mutex_init(&l.mu, NULL);
  seatgate_options_t* o = options_for("hal");
  CHECK(seatgate_options_set_on_request(NULL, on_request, &l) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_options_set_on_request(o, on_request, &l) == SEATGATE_OK);
  CHECK(seatgate_options_set_on_attempt(o, on_answer, &l) == SEATGATE_OK);
  seatgate_client_t* hal = client_of(o);

  seatgate_reserve_params_t rp = {"c-full", "floor", 1, NULL, NULL};
  seatgate_reserve_options_t ro;
  memset(&ro, 0, sizeof ro);
  ro.struct_size = sizeof ro;
  ro.sold_out_wait_ms = 2500;
  seatgate_reservation_t* r = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_reserve_ex(hal, &rp, &ro, NULL, &r, &e) == SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_SOLD_OUT);
  CHECK(seatgate_error_attempts(e) == 3);
  CHECK_STR(seatgate_error_request_id(e), "c-hook-3");
  seatgate_error_free(e);
  CHECK(l.requests == 3 && l.answers == 3);
  CHECK(l.refused == 3 * 3);
  CHECK(strlen(l.keys[0]) == 36);
  for (int i = 0; i < 3 && i < l.requests; ++i) {
    char id[40];
    snprintf(id, sizeof id, "c-hook-%d", i + 1);
    CHECK(l.attempts[i] == i + 1);
    CHECK_STR(l.operations[i], "reserve");
    CHECK_STR(l.keys[i], l.keys[0]);
    CHECK(l.answer_attempts[i] == i + 1);
    CHECK(l.statuses[i] == 409);
    CHECK_STR(l.answer_keys[i], l.keys[0]);
    CHECK_STR(l.request_ids[i], id); /* echoed by the server */
  }

  waiter_t done;
  waiter_init(&done);
  CHECK(seatgate_get_event_async(hal, "c-full", NULL, on_event, &done) == SEATGATE_OK);
  waiter_wait(&done, 1);
  CHECK(done.status == SEATGATE_OK);
  pthread_mutex_lock(&l.mu);
  CHECK(l.requests == 4);
  CHECK_STR(l.operations[3], "get_event");
  CHECK_STR(l.keys[3], "");
  CHECK_STR(l.request_ids[3], "c-hook-1");
  CHECK(!pthread_equal(l.thread, pthread_self()));
  CHECK(pthread_equal(l.thread, done.thread)); /* the worker, as the callback */
  pthread_mutex_unlock(&l.mu);
  seatgate_client_free(hal);
  pthread_mutex_destroy(&l.mu);
}

int main(void) {
  if (real_server_start() != 0) return 1;
  fill_room();
  test_slow_call_does_not_hold_others();
  test_free_from_callback_with_a_call_running();
  test_random_hook();
  test_attempt_and_log_hooks();
  test_reserve_ex_sold_out_wait();
  test_request_hook();
  real_server_stop();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_hooks_test: all checks passed\n");
  return 0;
}
