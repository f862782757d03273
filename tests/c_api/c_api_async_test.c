/* The C API from C11: async calls, cancellation, a token freed while calls
 * use it, and a client freed from its own callback. */
#include "c_api_support.h"

void test_async(void) {
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

void test_sync_cancel(void) {
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

void test_token_freed_during_calls(void) {
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

void test_free_client_from_its_callback(void) {
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
