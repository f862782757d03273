/* The C API from C11: sync and async calls, error codes and messages,
 * cancellation, and freeing everything (run under ASan/LSan). */
#include <seatgate.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stub_server.h"

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

static char base_url[64];
static const char* kId = "summer.AAAAAAAAAAAAAAAAAAAAAA";

/* ---- async plumbing: a counter of finished callbacks ---------------------- */
typedef struct waiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  seatgate_status_t last_status;
  char last_code[64];
  char last_text[256];
  pthread_t callback_thread;
} waiter_t;

static void waiter_init(waiter_t* w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
}
static void waiter_destroy(waiter_t* w) {
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->cv);
}
static void waiter_finish(waiter_t* w, seatgate_status_t st, const seatgate_error_t* e,
                          const char* text) {
  pthread_mutex_lock(&w->mu);
  w->last_status = st;
  snprintf(w->last_code, sizeof w->last_code, "%s", e ? seatgate_error_code(e) : "");
  snprintf(w->last_text, sizeof w->last_text, "%s", text ? text : "");
  w->callback_thread = pthread_self();
  ++w->done;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}
static void waiter_wait(waiter_t* w, int n) {
  pthread_mutex_lock(&w->mu);
  while (w->done < n) pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
}

static void on_reservation(void* ud, seatgate_status_t st, seatgate_reservation_t* r,
                           seatgate_error_t* e) {
  CHECK((st == SEATGATE_OK) == (r != NULL));
  CHECK((st == SEATGATE_OK) == (e == NULL));
  waiter_finish(ud, st, e, r ? seatgate_reservation_status(r) : NULL);
  seatgate_reservation_free(r);
  seatgate_error_free(e);
}
static void on_event(void* ud, seatgate_status_t st, seatgate_event_t* ev, seatgate_error_t* e) {
  waiter_finish(ud, st, e, ev ? seatgate_event_name(ev) : NULL);
  seatgate_event_free(ev);
  seatgate_error_free(e);
}
static void on_list(void* ud, seatgate_status_t st, seatgate_reservation_list_t* l,
                    seatgate_error_t* e) {
  char n[16];
  snprintf(n, sizeof n, "%zu", seatgate_reservation_list_count(l));
  waiter_finish(ud, st, e, n);
  seatgate_reservation_list_free(l);
  seatgate_error_free(e);
}
static void on_queue(void* ud, seatgate_status_t st, seatgate_queue_state_t* q,
                     seatgate_error_t* e) {
  waiter_finish(ud, st, e, q ? seatgate_queue_state_status(q) : NULL);
  seatgate_queue_state_free(q);
  seatgate_error_free(e);
}

static int retries_seen = 0;
static void on_retry(void* ud, int attempt, int64_t delay_ms, const char* reason) {
  (void)ud;
  CHECK(attempt >= 2);
  CHECK(delay_ms >= 0);
  CHECK_STR(reason, "unavailable");
  __atomic_add_fetch(&retries_seen, 1, __ATOMIC_SEQ_CST);
}

static const char* token_provider(void* ud) { return (const char*)ud; }

static seatgate_client_t* make_client(const char* token, int with_retry_cb) {
  seatgate_options_t* o = seatgate_options_new();
  CHECK(o != NULL);
  CHECK(seatgate_options_set_base_url(o, base_url) == SEATGATE_OK);
  CHECK(seatgate_options_set_token_provider(o, token_provider, (void*)token) == SEATGATE_OK);
  CHECK(seatgate_options_set_retry_policy(o, 3, 5, 20, 5000) == SEATGATE_OK);
  CHECK(seatgate_options_set_timeouts(o, 1000, 5000) == SEATGATE_OK);
  CHECK(seatgate_options_set_user_agent(o, "c-api-test/1") == SEATGATE_OK);
  if (with_retry_cb) CHECK(seatgate_options_set_on_retry(o, on_retry, NULL) == SEATGATE_OK);
  seatgate_client_t* c = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_client_new(o, &c, &e) == SEATGATE_OK);
  CHECK(e == NULL);
  seatgate_options_free(o);
  return c;
}

static void test_version_and_options(void) {
  char expect[32];
  snprintf(expect, sizeof expect, "%d.%d.%d", SEATGATE_VERSION_MAJOR, SEATGATE_VERSION_MINOR,
           SEATGATE_VERSION_PATCH);
  CHECK_STR(seatgate_version(), expect);
  CHECK_STR(seatgate_status_name(SEATGATE_ERR_VALIDATION), "validation");
  CHECK_STR(seatgate_status_name(SEATGATE_OK), "ok");
  CHECK_STR(seatgate_status_name(SEATGATE_ERR_TLS), "tls");

  seatgate_options_t* o = seatgate_options_new();
  CHECK(seatgate_options_set_base_url(o, "") == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_options_set_base_url(NULL, "http://x") == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_options_set_retry_policy(o, 0, 1, 1, 1) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_options_set_timeouts(o, 0, 1) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_options_set_retry_budget(o, 5, 1) == SEATGATE_OK);
  CHECK(seatgate_options_set_token(o, "tok") == SEATGATE_OK);
  CHECK(seatgate_options_set_base_url(o, "no-scheme") == SEATGATE_OK);
  seatgate_client_t* c = (seatgate_client_t*)1;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_client_new(o, &c, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(c == NULL);
  CHECK(e != NULL && strlen(seatgate_error_message(e)) > 0);
  seatgate_error_free(e);
  CHECK(seatgate_client_new(o, NULL, NULL) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_options_free(o);
  seatgate_options_free(NULL);
  seatgate_error_free(NULL);
  seatgate_event_free(NULL);
  seatgate_reservation_free(NULL);
  seatgate_reservation_list_free(NULL);
  seatgate_queue_state_free(NULL);
  seatgate_string_free(NULL);
  seatgate_client_free(NULL);
  seatgate_cancel_token_free(NULL);

  char key[37];
  char key2[37];
  CHECK(seatgate_new_idempotency_key(key) == SEATGATE_OK);
  CHECK(seatgate_new_idempotency_key(key2) == SEATGATE_OK);
  CHECK(strlen(key) == 36 && key[14] == '4');
  CHECK(strcmp(key, key2) != 0);
}

static void test_sync(void) {
  seatgate_client_t* c = make_client("tok", 1);
  seatgate_error_t* e = NULL;

  seatgate_event_t* ev = NULL;
  CHECK(seatgate_get_event(c, "summer", NULL, &ev, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_event_name(ev), "Summer Arena");
  CHECK(seatgate_event_zone_count(ev) == 1);
  CHECK_STR(seatgate_event_zone_id(ev, 0), "floor");
  CHECK(seatgate_event_zone_available(ev, 0) == 100);
  CHECK(seatgate_event_zone_price(ev, 0) == 4500);
  CHECK(seatgate_event_zone_id(ev, 1) == NULL);
  CHECK(seatgate_event_max_per_order(ev) == 10);
  char* json = seatgate_event_to_json(ev);
  CHECK(json != NULL && strstr(json, "\"available\":100") != NULL);
  seatgate_string_free(json);
  seatgate_event_free(ev);

  /* reserve: success */
  seatgate_reserve_params_t p = {"summer", "floor", 2, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_reserve(c, &p, NULL, &r, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_reservation_id(r), kId);
  CHECK_STR(seatgate_reservation_status(r), "held");
  CHECK(seatgate_reservation_quantity(r) == 2);
  CHECK(seatgate_reservation_amount(r) == 9000);
  CHECK(seatgate_reservation_confirmed_at(r) == NULL);
  CHECK_STR(seatgate_reservation_expires_at(r), "2026-01-01T00:10:00Z");
  json = seatgate_reservation_to_json(r);
  CHECK(json != NULL && strstr(json, kId) != NULL);
  seatgate_string_free(json);
  seatgate_reservation_free(r);

  /* reserve: retried once (503), with the caller's key */
  p.idempotency_key = "flaky-sync-1";
  CHECK(seatgate_reserve(c, &p, NULL, &r, &e) == SEATGATE_OK);
  CHECK(retries_seen == 1);
  seatgate_reservation_free(r);

  /* reserve: final sold_out, not retried */
  int before = stub_server_reserve_calls();
  p.idempotency_key = NULL;
  p.quantity = 7;
  r = (seatgate_reservation_t*)1;
  CHECK(seatgate_reserve(c, &p, NULL, &r, &e) == SEATGATE_ERR_SERVER);
  CHECK(r == NULL);
  CHECK(seatgate_error_status(e) == SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), "sold_out");
  CHECK_STR(seatgate_error_message(e), "stub says sold_out");
  CHECK(seatgate_error_http_status(e) == 409);
  CHECK(seatgate_error_retryable(e) == 0);
  CHECK(seatgate_error_attempts(e) == 1);
  CHECK(stub_server_reserve_calls() == before + 1);
  seatgate_error_free(e);
  e = NULL;

  /* validation: no request at all */
  before = stub_server_reserve_calls();
  p.quantity = 0;
  CHECK(seatgate_reserve(c, &p, NULL, &r, &e) == SEATGATE_ERR_VALIDATION);
  CHECK_STR(seatgate_error_code(e), "validation_quantity");
  CHECK(strstr(seatgate_error_message(e), "quantity") != NULL);
  CHECK(seatgate_error_attempts(e) == 0);
  CHECK(stub_server_reserve_calls() == before);
  seatgate_error_free(e);
  e = NULL;
  p.event_id = "Bad Event";
  p.quantity = 1;
  CHECK(seatgate_reserve(c, &p, NULL, &r, NULL) == SEATGATE_ERR_VALIDATION); /* error not wanted */
  CHECK(seatgate_reserve(c, NULL, NULL, &r, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_error_free(e);
  e = NULL;

  /* other calls */
  CHECK(seatgate_get_reservation(c, kId, NULL, &r, &e) == SEATGATE_OK);
  seatgate_reservation_free(r);
  CHECK(seatgate_get_reservation(c, "summer.BBBBBBBBBBBBBBBBBBBBBB", NULL, &r, &e) ==
        SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), "reservation_not_found");
  CHECK(seatgate_error_http_status(e) == 404);
  seatgate_error_free(e);
  e = NULL;
  seatgate_confirm_params_t cp = {kId, "pay_1", NULL};
  CHECK(seatgate_confirm(c, &cp, NULL, &r, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_reservation_status(r), "confirmed");
  seatgate_reservation_free(r);
  CHECK(seatgate_release(c, kId, NULL, &r, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_reservation_status(r), "released");
  seatgate_reservation_free(r);
  seatgate_reservation_list_t* l = NULL;
  /* the server lists one event's reservations: no event id fails validation */
  l = (seatgate_reservation_list_t*)1;
  CHECK(seatgate_list_reservations(c, NULL, NULL, &l, &e) == SEATGATE_ERR_VALIDATION);
  CHECK(l == NULL);
  CHECK_STR(seatgate_error_code(e), "validation_event_id");
  CHECK(seatgate_error_attempts(e) == 0);
  seatgate_error_free(e);
  e = NULL;
  CHECK(seatgate_list_reservations(c, "", NULL, &l, &e) == SEATGATE_ERR_VALIDATION);
  seatgate_error_free(e);
  e = NULL;
  CHECK(seatgate_list_reservations(c, "summer", NULL, &l, &e) == SEATGATE_OK);
  CHECK(seatgate_reservation_list_count(l) == 2);
  CHECK_STR(seatgate_reservation_status(seatgate_reservation_list_at(l, 1)), "confirmed");
  CHECK(seatgate_reservation_list_at(l, 2) == NULL);
  seatgate_reservation_list_free(l);
  seatgate_queue_state_t* q = NULL;
  CHECK(seatgate_join_queue(c, "summer", NULL, &q, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_status(q), "waiting");
  CHECK(seatgate_queue_state_position(q) == 12);
  CHECK(seatgate_queue_state_poll_after_ms(q) == 1000);
  seatgate_queue_state_free(q);
  CHECK(seatgate_queue_status(c, "summer", NULL, &q, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_status(q), "admitted");
  CHECK_STR(seatgate_queue_state_pass(q), "qp-1");
  seatgate_queue_state_free(q);
  seatgate_client_free(c);

  /* 401 through a token provider that returns a wrong token */
  c = make_client("wrong", 0);
  CHECK(seatgate_list_reservations(c, "summer", NULL, &l, &e) == SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), "unauthorized");
  CHECK(seatgate_error_http_status(e) == 401);
  seatgate_error_free(e);
  seatgate_client_free(c);
}

static void test_network_error(void) {
  seatgate_options_t* o = seatgate_options_new();
  seatgate_options_set_base_url(o, "http://127.0.0.1:9");
  seatgate_options_set_retry_policy(o, 2, 1, 2, 5000);
  seatgate_client_t* c = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_client_new(o, &c, &e) == SEATGATE_OK);
  seatgate_options_free(o);
  seatgate_event_t* ev = NULL;
  CHECK(seatgate_get_event(c, "summer", NULL, &ev, &e) == SEATGATE_ERR_NETWORK);
  CHECK_STR(seatgate_error_code(e), "network");
  CHECK(seatgate_error_attempts(e) == 2);
  CHECK(seatgate_error_retryable(e) == 1);
  CHECK(seatgate_error_http_status(e) == 0);
  seatgate_error_free(e);
  seatgate_client_free(c);
}

static void test_async(void) {
  seatgate_client_t* c = make_client("tok", 0);
  waiter_t w;
  waiter_init(&w);
  seatgate_reserve_params_t p = {"summer", "floor", 2, "flaky-async-1", NULL};
  CHECK(seatgate_reserve_async(c, &p, NULL, on_reservation, &w) == SEATGATE_OK);
  p.quantity = 7; /* parameters were copied: changing them now does not matter for the first */
  CHECK(seatgate_reserve_async(c, &p, NULL, on_reservation, &w) == SEATGATE_OK);
  waiter_wait(&w, 2);
  CHECK(w.last_status == SEATGATE_ERR_SERVER);
  CHECK_STR(w.last_code, "sold_out");
  CHECK(!pthread_equal(w.callback_thread, pthread_self()));

  CHECK(seatgate_get_event_async(c, "summer", NULL, on_event, &w) == SEATGATE_OK);
  waiter_wait(&w, 3);
  CHECK(w.last_status == SEATGATE_OK);
  CHECK_STR(w.last_text, "Summer Arena");
  CHECK(seatgate_list_reservations_async(c, "summer", NULL, on_list, &w) == SEATGATE_OK);
  waiter_wait(&w, 4);
  CHECK_STR(w.last_text, "2");
  CHECK(seatgate_list_reservations_async(c, NULL, NULL, on_list, &w) == SEATGATE_OK);
  waiter_wait(&w, 5);
  CHECK(w.last_status == SEATGATE_ERR_VALIDATION);
  CHECK_STR(w.last_code, "validation_event_id");
  CHECK(seatgate_join_queue_async(c, "summer", NULL, on_queue, &w) == SEATGATE_OK);
  CHECK(seatgate_queue_status_async(c, "summer", NULL, on_queue, &w) == SEATGATE_OK);
  waiter_wait(&w, 7);
  CHECK_STR(w.last_text, "admitted");
  seatgate_confirm_params_t cp = {kId, NULL, NULL};
  CHECK(seatgate_confirm_async(c, &cp, NULL, on_reservation, &w) == SEATGATE_OK);
  CHECK(seatgate_get_reservation_async(c, kId, NULL, on_reservation, &w) == SEATGATE_OK);
  CHECK(seatgate_release_async(c, kId, NULL, on_reservation, &w) == SEATGATE_OK);
  waiter_wait(&w, 10);
  CHECK_STR(w.last_text, "released");
  /* validation failure arrives through the callback too */
  CHECK(seatgate_get_event_async(c, "", NULL, on_event, &w) == SEATGATE_OK);
  waiter_wait(&w, 11);
  CHECK(w.last_status == SEATGATE_ERR_VALIDATION);
  CHECK_STR(w.last_code, "validation_event_id");
  /* bad arguments: not queued, no callback */
  CHECK(seatgate_get_event_async(c, "summer", NULL, NULL, &w) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_reserve_async(c, NULL, NULL, on_reservation, &w) == SEATGATE_ERR_INVALID_ARGUMENT);

  /* cancellation of a request in flight */
  seatgate_cancel_token_t* t = seatgate_cancel_token_new();
  CHECK(seatgate_get_event_async(c, "slow", t, on_event, &w) == SEATGATE_OK);
  seatgate_cancel_token_free(t); /* the call keeps its own reference... */
  t = seatgate_cancel_token_new();
  CHECK(seatgate_get_event_async(c, "slow", t, on_event, &w) == SEATGATE_OK);
  seatgate_cancel_token_cancel(t); /* ...this one is cancelled while queued */
  seatgate_cancel_token_free(t);
  waiter_wait(&w, 13);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED);
  CHECK_STR(w.last_code, "cancelled");

  /* freeing the client cancels what is still queued or running */
  CHECK(seatgate_get_event_async(c, "slow", NULL, on_event, &w) == SEATGATE_OK);
  CHECK(seatgate_get_event_async(c, "slow", NULL, on_event, &w) == SEATGATE_OK);
  seatgate_client_free(c);
  CHECK(w.done == 15);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED);
  waiter_destroy(&w);
}

static void test_sync_cancel(void) {
  seatgate_client_t* c = make_client("tok", 0);
  seatgate_cancel_token_t* t = seatgate_cancel_token_new();
  seatgate_cancel_token_cancel(t);
  seatgate_event_t* ev = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_get_event(c, "summer", t, &ev, &e) == SEATGATE_ERR_CANCELLED);
  CHECK(ev == NULL);
  CHECK_STR(seatgate_error_code(e), "cancelled");
  CHECK(seatgate_error_attempts(e) == 0); /* nothing was sent */
  seatgate_error_free(e);
  seatgate_cancel_token_free(t);
  seatgate_client_free(c);
}

/* ---- a token freed while calls use it ------------------------------------- */
static void pause_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Waits until the stub holds `arrivals` requests at its gate. */
static void await_gate(int arrivals) {
  while (stub_server_gate_arrivals() < arrivals) pause_ms(1);
}

typedef struct token_job {
  seatgate_cancel_token_t* token;
  int arrivals; /* wait for this many requests at the gate first */
  int cancel;   /* cancel before freeing */
} token_job_t;

/* Another thread, while the call waits at the gate: (cancel and) free the
 * token, then let the answer go. */
static void* free_token_during_call(void* arg) {
  token_job_t* j = arg;
  await_gate(j->arrivals);
  if (j->cancel) seatgate_cancel_token_cancel(j->token);
  seatgate_cancel_token_free(j->token);
  stub_server_open_gate();
  return NULL;
}

static void test_token_freed_during_calls(void) {
  seatgate_client_t* c = make_client("tok", 0);
  seatgate_event_t* ev = NULL;
  seatgate_error_t* e = NULL;
  pthread_t th;

  /* sync: freed while the request is in flight; the call still succeeds */
  stub_server_close_gate();
  token_job_t j = {seatgate_cancel_token_new(), stub_server_gate_arrivals() + 1, 0};
  CHECK(pthread_create(&th, NULL, free_token_during_call, &j) == 0);
  CHECK(seatgate_get_event(c, "gate", j.token, &ev, &e) == SEATGATE_OK);
  pthread_join(th, NULL);
  CHECK_STR(seatgate_event_name(ev), "Gate");
  seatgate_event_free(ev);
  ev = NULL;

  /* sync: cancelled, then freed, while in flight */
  stub_server_close_gate();
  j.token = seatgate_cancel_token_new();
  j.arrivals = stub_server_gate_arrivals() + 1;
  j.cancel = 1;
  CHECK(pthread_create(&th, NULL, free_token_during_call, &j) == 0);
  CHECK(seatgate_get_event(c, "gate", j.token, &ev, &e) == SEATGATE_ERR_CANCELLED);
  pthread_join(th, NULL);
  CHECK(ev == NULL);
  CHECK_STR(seatgate_error_code(e), "cancelled");
  CHECK(seatgate_error_attempts(e) == 1);
  seatgate_error_free(e);
  e = NULL;

  /* async: freed while in flight, then cancelled-and-freed while in flight */
  waiter_t w;
  waiter_init(&w);
  stub_server_close_gate();
  j.token = seatgate_cancel_token_new();
  j.arrivals = stub_server_gate_arrivals() + 1;
  j.cancel = 0;
  CHECK(seatgate_get_event_async(c, "gate", j.token, on_event, &w) == SEATGATE_OK);
  free_token_during_call(&j);
  waiter_wait(&w, 1);
  CHECK(w.last_status == SEATGATE_OK);
  CHECK_STR(w.last_text, "Gate");
  stub_server_close_gate();
  j.token = seatgate_cancel_token_new();
  j.arrivals = stub_server_gate_arrivals() + 1;
  j.cancel = 1;
  CHECK(seatgate_get_event_async(c, "gate", j.token, on_event, &w) == SEATGATE_OK);
  free_token_during_call(&j);
  waiter_wait(&w, 2);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED);
  waiter_destroy(&w);
  seatgate_client_free(c);
}

/* ---- freeing a client from its own callback ------------------------------- */
typedef struct self_free {
  seatgate_client_t* client;
  waiter_t* w;
} self_free_t;

static void free_client_in_callback(void* ud, seatgate_status_t st, seatgate_event_t* ev,
                                    seatgate_error_t* e) {
  self_free_t* sf = ud;
  seatgate_client_free(sf->client); /* returns at once; the worker frees it later */
  waiter_finish(sf->w, st, e, ev ? seatgate_event_name(ev) : NULL);
  seatgate_event_free(ev);
  seatgate_error_free(e);
}

static void test_free_client_from_its_callback(void) {
  waiter_t w;
  waiter_init(&w);
  self_free_t sf = {make_client("tok", 0), &w};
  /* The first call waits at the gate, so the second is surely queued behind
   * it when the first callback frees the client. */
  stub_server_close_gate();
  int arrivals = stub_server_gate_arrivals() + 1;
  CHECK(seatgate_get_event_async(sf.client, "gate", NULL, free_client_in_callback, &sf) ==
        SEATGATE_OK);
  CHECK(seatgate_get_event_async(sf.client, "summer", NULL, on_event, &w) == SEATGATE_OK);
  await_gate(arrivals);
  stub_server_open_gate();
  waiter_wait(&w, 2);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED); /* the queued call, after the free */
  CHECK_STR(w.last_code, "cancelled");

  /* A client whose last callback frees it, with nothing queued. */
  self_free_t alone = {make_client("tok", 0), &w};
  CHECK(seatgate_get_event_async(alone.client, "summer", NULL, free_client_in_callback, &alone) ==
        SEATGATE_OK);
  waiter_wait(&w, 3);
  CHECK(w.last_status == SEATGATE_OK);
  CHECK_STR(w.last_text, "Summer Arena");
  waiter_destroy(&w);
}

/* ---- waiting for a queue pass --------------------------------------------- */
typedef struct positions {
  int count;
  int64_t position[8];
  int64_t poll_after_ms[8];
  int64_t next_poll_in_ms[8];
  pthread_t thread;
} positions_t;

static void on_position(void* ud, int64_t position, int64_t poll_after_ms,
                        int64_t next_poll_in_ms) {
  positions_t* p = ud;
  if (p->count < 8) {
    p->position[p->count] = position;
    p->poll_after_ms[p->count] = poll_after_ms;
    p->next_poll_in_ms[p->count] = next_poll_in_ms;
  }
  p->thread = pthread_self();
  ++p->count;
}

static void test_wait_for_pass(void) {
  seatgate_client_t* c = make_client("tok", 0);
  seatgate_error_t* e = NULL;
  seatgate_queue_state_t* q = NULL;
  positions_t seen;
  memset(&seen, 0, sizeof seen);
  seatgate_wait_params_t wp = {"queued", 0, 0, on_position, &seen};

  /* sync: waiting at 3, 2, 1 then admitted; positions told on this thread */
  CHECK(seatgate_wait_for_pass(c, &wp, NULL, &q, &e) == SEATGATE_OK);
  CHECK(e == NULL);
  CHECK_STR(seatgate_queue_state_status(q), "admitted");
  CHECK_STR(seatgate_queue_state_pass(q), "qp-q");
  seatgate_queue_state_free(q);
  CHECK(seen.count == 3);
  for (int i = 0; i < 3 && i < seen.count; ++i) {
    CHECK(seen.position[i] == 3 - i);
    CHECK(seen.poll_after_ms[i] == 200); /* waited: 250 ms (the floor) ± 20% */
    CHECK(seen.next_poll_in_ms[i] >= 200 && seen.next_poll_in_ms[i] <= 300);
  }
  CHECK(pthread_equal(seen.thread, pthread_self()));
  /* the next reserve of the event sends the remembered pass */
  seatgate_reserve_params_t rp = {"queued", "floor", 1, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_reserve(c, &rp, NULL, &r, &e) == SEATGATE_OK);
  seatgate_reservation_free(r);
  char pass[64];
  stub_server_last_queue_pass(pass, sizeof pass);
  CHECK_STR(pass, "qp-q");

  /* no waiting room */
  wp.event_id = "open";
  wp.on_position = NULL;
  CHECK(seatgate_wait_for_pass(c, &wp, NULL, &q, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_status(q), "not_required");
  CHECK_STR(seatgate_queue_state_pass(q), "");
  seatgate_queue_state_free(q);

  /* the overall deadline */
  wp.event_id = "stuck";
  wp.deadline_ms = 500;
  CHECK(seatgate_wait_for_pass(c, &wp, NULL, &q, &e) == SEATGATE_ERR_DEADLINE_EXCEEDED);
  CHECK(q == NULL);
  CHECK_STR(seatgate_error_code(e), "deadline_exceeded");
  seatgate_error_free(e);
  e = NULL;

  /* validation and bad arguments */
  wp.event_id = "";
  CHECK(seatgate_wait_for_pass(c, &wp, NULL, &q, &e) == SEATGATE_ERR_VALIDATION);
  CHECK_STR(seatgate_error_code(e), "validation_event_id");
  seatgate_error_free(e);
  e = NULL;
  CHECK(seatgate_wait_for_pass(c, NULL, NULL, &q, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_error_free(e);
  e = NULL;

  /* leave */
  CHECK(seatgate_leave_queue(c, "queued", NULL, &q, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_status(q), "left");
  seatgate_queue_state_free(q);

  /* async: positions and the callback on the worker thread */
  waiter_t w;
  waiter_init(&w);
  memset(&seen, 0, sizeof seen);
  seatgate_wait_params_t ap = {"queued", 0, 0, on_position, &seen};
  CHECK(seatgate_wait_for_pass_async(c, &ap, NULL, on_queue, &w) == SEATGATE_OK);
  ap.event_id = "open"; /* copied: does not change the call above */
  waiter_wait(&w, 1);
  CHECK(w.last_status == SEATGATE_OK);
  CHECK_STR(w.last_text, "admitted");
  CHECK(seen.count == 3);
  CHECK(pthread_equal(seen.thread, w.callback_thread));
  CHECK(!pthread_equal(w.callback_thread, pthread_self()));
  CHECK(seatgate_wait_for_pass_async(c, NULL, NULL, on_queue, &w) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_leave_queue_async(c, "queued", NULL, on_queue, &w) == SEATGATE_OK);
  waiter_wait(&w, 2);
  CHECK_STR(w.last_text, "left");

  /* async cancellation mid-wait */
  seatgate_cancel_token_t* t = seatgate_cancel_token_new();
  memset(&seen, 0, sizeof seen);
  ap.event_id = "stuck";
  ap.deadline_ms = -1; /* no overall deadline */
  CHECK(seatgate_wait_for_pass_async(c, &ap, t, on_queue, &w) == SEATGATE_OK);
  struct timespec pause = {0, 300 * 1000 * 1000};
  nanosleep(&pause, NULL);
  seatgate_cancel_token_cancel(t);
  waiter_wait(&w, 3);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED);
  CHECK_STR(w.last_code, "cancelled");
  seatgate_cancel_token_free(t);

  /* freeing the client ends a wait still running */
  CHECK(seatgate_wait_for_pass_async(c, &ap, NULL, on_queue, &w) == SEATGATE_OK);
  seatgate_client_free(c);
  CHECK(w.done == 4);
  CHECK(w.last_status == SEATGATE_ERR_CANCELLED);
  waiter_destroy(&w);
}

int main(void) {
  int port = stub_server_start();
  if (port <= 0) {
    fprintf(stderr, "stub server did not start\n");
    return 1;
  }
  snprintf(base_url, sizeof base_url, "http://127.0.0.1:%d", port);
  test_version_and_options();
  /* First, so the detached workers of clients freed from their callbacks
   * are long gone before LeakSanitizer looks at exit. */
  test_free_client_from_its_callback();
  test_token_freed_during_calls();
  test_sync();
  test_network_error();
  test_async();
  test_sync_cancel();
  test_wait_for_pass();
  stub_server_stop();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
