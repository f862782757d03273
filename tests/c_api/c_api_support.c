/* Shared plumbing of the C API tests: checks, a waiter for async callbacks,
 * and a client against the stub server. */
#include "c_api_support.h"

int failures = 0;
char base_url[64];
const char* const kId = "summer.AAAAAAAAAAAAAAAAAAAAAA";

/* ---- async plumbing: a counter of finished callbacks ---------------------- */

void waiter_init(waiter_t* w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
}
void waiter_destroy(waiter_t* w) {
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->cv);
}
void waiter_finish(waiter_t* w, seatgate_status_t st, const seatgate_error_t* e, const char* text) {
  pthread_mutex_lock(&w->mu);
  w->last_status = st;
  snprintf(w->last_code, sizeof w->last_code, "%s", e ? seatgate_error_code(e) : "");
  snprintf(w->last_text, sizeof w->last_text, "%s", text ? text : "");
  w->callback_thread = pthread_self();
  ++w->done;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}
void waiter_wait(waiter_t* w, int n) {
  pthread_mutex_lock(&w->mu);
  while (w->done < n) pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
}

void on_reservation(void* ud, seatgate_status_t st, seatgate_reservation_t* r,
                    seatgate_error_t* e) {
  CHECK((st == SEATGATE_OK) == (r != NULL));
  CHECK((st == SEATGATE_OK) == (e == NULL));
  waiter_finish(ud, st, e, r ? seatgate_reservation_status(r) : NULL);
  seatgate_reservation_free(r);
  seatgate_error_free(e);
}
void on_event(void* ud, seatgate_status_t st, seatgate_event_t* ev, seatgate_error_t* e) {
  waiter_finish(ud, st, e, ev ? seatgate_event_name(ev) : NULL);
  seatgate_event_free(ev);
  seatgate_error_free(e);
}
void on_list(void* ud, seatgate_status_t st, seatgate_reservation_list_t* l, seatgate_error_t* e) {
  char n[16];
  snprintf(n, sizeof n, "%zu", seatgate_reservation_list_count(l));
  waiter_finish(ud, st, e, n);
  seatgate_reservation_list_free(l);
  seatgate_error_free(e);
}
void on_queue(void* ud, seatgate_status_t st, seatgate_queue_state_t* q, seatgate_error_t* e) {
  waiter_finish(ud, st, e, q ? seatgate_queue_state_status(q) : NULL);
  seatgate_queue_state_free(q);
  seatgate_error_free(e);
}

int retries_seen = 0;
static void on_retry(void* ud, int attempt, int64_t delay_ms, const char* reason) {
  (void)ud;
  CHECK(attempt >= 2);
  CHECK(delay_ms >= 0);
  CHECK_STR(reason, "unavailable");
  __atomic_add_fetch(&retries_seen, 1, __ATOMIC_SEQ_CST);
}

static const char* token_provider(void* ud) { return (const char*)ud; }

seatgate_client_t* make_client(const char* token, int with_retry_cb) {
  seatgate_options_t* o = seatgate_options_new();
  CHECK(o != NULL);
  CHECK(seatgate_options_set_base_url(o, base_url) == SEATGATE_OK);
  CHECK(seatgate_options_set_token_provider(o, token_provider, (void*)token) == SEATGATE_OK);
  CHECK(seatgate_options_set_retry_policy(o, 3, 5, 20, 5000) == SEATGATE_OK);
  CHECK(seatgate_options_set_timeouts(o, 1000, 5000) == SEATGATE_OK);
  CHECK(seatgate_options_set_user_agent(o, "c-api-test/1") == SEATGATE_OK);
  /* One worker thread: these tests count on callbacks in submission order
   * (c_api_hooks_test.c covers the pool). */
  CHECK(seatgate_options_set_async_threads(o, 1) == SEATGATE_OK);
  if (with_retry_cb) CHECK(seatgate_options_set_on_retry(o, on_retry, NULL) == SEATGATE_OK);
  seatgate_client_t* c = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_client_new(o, &c, &e) == SEATGATE_OK);
  CHECK(e == NULL);
  seatgate_options_free(o);
  return c;
}
