/* The C API from C11: waiting for a queue pass, sync and async. */
#include "c_api_support.h"

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

void test_wait_for_pass(void) {
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

/* A refused queue pass: the error carries the request id, Retry-After and the
 * pass's expiry (from the waiting room's "admitted" answer), as on every face. */
void test_refused_pass_details(void) {
  seatgate_client_t* c = make_client("tok", 0);
  seatgate_error_t* e = NULL;
  seatgate_queue_state_t* q = NULL;
  CHECK(seatgate_queue_status(c, "summer", NULL, &q, &e) == SEATGATE_OK);
  CHECK_STR(seatgate_queue_state_pass(q), "qp-1");
  seatgate_queue_state_free(q);
  seatgate_reserve_params_t rp = {"summer", "floor", 1, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_reserve(c, &rp, NULL, &r, &e) == SEATGATE_ERR_SERVER);
  CHECK(r == NULL);
  CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_QUEUE_PASS_INVALID);
  CHECK(seatgate_error_http_status(e) == 403);
  CHECK_STR(seatgate_error_request_id(e), "req-pass");
  CHECK(seatgate_error_retry_after_ms(e) == 3000);
  CHECK_STR(seatgate_error_pass_expires_at(e), "2026-01-01T00:05:00Z");
  seatgate_error_free(e);
  e = NULL;
  /* the refused pass is forgotten: the next reserve sends none */
  CHECK(seatgate_reserve(c, &rp, NULL, &r, &e) == SEATGATE_OK);
  seatgate_reservation_free(r);
  CHECK(strcmp(seatgate_error_pass_expires_at(NULL), "") == 0);
  seatgate_client_free(c);
}
