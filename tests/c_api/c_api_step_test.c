/* The bring-your-own-transport step machine of seatgate.h, driven from C by
 * a small loop (cpp-httplib stands in for URLSession / OkHttp) against a
 * real seatgate-server and redis-server: requests, a retry on a retryable
 * sold_out (409 + Retry-After) while another operation of the same loop
 * frees the seats, a retry after a transport failure, cancellation in a
 * backoff and before a request is sent, validation before the network. */
#include <seatgate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "real_server.h"

int failures = 0;

static void sleep_ms(int64_t ms) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static seatgate_core_t* make_core(const char* user) {
  char token[1024];
  real_server_user_token(user, token, sizeof token);
  seatgate_options_t* o = seatgate_options_new();
  CHECK(seatgate_options_set_base_url(o, real_server_base_url()) == SEATGATE_OK);
  CHECK(seatgate_options_set_token(o, token) == SEATGATE_OK);
  CHECK(seatgate_options_set_user_agent(o, "c-step-test/1") == SEATGATE_OK);
  seatgate_core_t* core = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_core_new(o, &core, &e) == SEATGATE_OK);
  CHECK(e == NULL);
  seatgate_options_free(o);
  return core;
}

static seatgate_operation_params_t params(seatgate_operation_kind_t kind) {
  seatgate_operation_params_t p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.kind = kind;
  return p;
}

static seatgate_operation_t* make_op(seatgate_core_t* core, const seatgate_operation_params_t* p) {
  seatgate_operation_t* op = NULL;
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_new(core, p, &op, &e) == SEATGATE_OK);
  CHECK(e == NULL);
  return op;
}

/* Sends the SEND step's request and feeds the answer (or the failure) back. */
static seatgate_step_kind_t send_current(seatgate_operation_t* op) {
  seatgate_http_request_t rq;
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  CHECK(seatgate_operation_request(op, &rq) == SEATGATE_OK);
  test_http_response_t resp;
  if (test_http_perform(rq.method, rq.url, rq.header_count, rq.header_names, rq.header_values,
                        rq.body, rq.body_length, rq.timeout_ms, &resp) != 0)
    return seatgate_operation_on_transport_error(op, SEATGATE_TRANSPORT_NETWORK, "no answer");
  seatgate_http_response_t r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.status = resp.status;
  r.header_count = resp.header_count;
  r.header_names = (const char* const*)resp.header_names;
  r.header_values = (const char* const*)resp.header_values;
  r.body = resp.body;
  r.body_length = resp.body_length;
  seatgate_step_kind_t k = seatgate_operation_on_response(op, &r);
  test_http_response_free(&resp);
  return k;
}

/* The whole transport: a loop over the steps. */
static seatgate_step_kind_t drive(seatgate_operation_t* op, seatgate_step_kind_t k) {
  for (int guard = 0; guard < 50; ++guard) {
    if (k == SEATGATE_STEP_SEND) {
      k = send_current(op);
    } else if (k == SEATGATE_STEP_WAIT) {
      sleep_ms(seatgate_operation_wait_ms(op));
      k = seatgate_operation_on_timer(op);
    } else {
      return k;
    }
  }
  CHECK(!"the operation did not finish");
  return k;
}

static const char* header_of(const seatgate_http_request_t* rq, const char* name) {
  for (size_t i = 0; i < rq->header_count; ++i)
    if (strcmp(rq->header_names[i], name) == 0) return rq->header_values[i];
  return NULL;
}

static void test_get_event_and_result_types(void) {
  CHECK(real_server_put_event("c-step-ev", 5, NULL) / 100 == 2);
  seatgate_core_t* core = make_core("erin");
  seatgate_operation_params_t p = params(SEATGATE_OP_GET_EVENT);
  p.event_id = "c-step-ev";
  seatgate_operation_t* op = make_op(core, &p);
  seatgate_core_free(core); /* the operation keeps what it needs */
  CHECK(seatgate_operation_step(op) == SEATGATE_STEP_FAILED); /* not started */
  seatgate_step_kind_t k = seatgate_operation_start(op);
  CHECK(k == SEATGATE_STEP_SEND);
  seatgate_http_request_t rq;
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  CHECK(seatgate_operation_request(op, &rq) == SEATGATE_OK);
  CHECK_STR(rq.method, "GET");
  char url[256];
  snprintf(url, sizeof url, "%s/v1/events/c-step-ev", real_server_base_url());
  CHECK_STR(rq.url, url);
  CHECK_STR(header_of(&rq, "User-Agent"), "c-step-test/1");
  CHECK(rq.timeout_ms > 0);
  CHECK(drive(op, k) == SEATGATE_STEP_DONE);
  seatgate_event_t* ev = NULL;
  CHECK(seatgate_operation_event(op, &ev) == SEATGATE_OK);
  CHECK_STR(seatgate_event_name(ev), "C Test");
  CHECK(seatgate_event_zone_available(ev, 0) == 5);
  seatgate_event_free(ev);
  seatgate_reservation_t* wrong = NULL;
  CHECK(seatgate_operation_reservation(op, &wrong) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(wrong == NULL);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_OK && e == NULL);
  CHECK(seatgate_operation_attempts(op) == 1);
  /* An input the operation does not wait for. */
  CHECK(seatgate_operation_on_timer(op) == SEATGATE_STEP_FAILED);
  seatgate_operation_free(op);
}

static void hold(seatgate_core_t* core, const char* event_id, int64_t quantity, char* id_out) {
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.event_id = event_id;
  p.zone_id = "floor";
  p.quantity = quantity;
  seatgate_operation_t* op = make_op(core, &p);
  CHECK(drive(op, seatgate_operation_start(op)) == SEATGATE_STEP_DONE);
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_operation_reservation(op, &r) == SEATGATE_OK);
  snprintf(id_out, 128, "%s", r ? seatgate_reservation_id(r) : "");
  seatgate_reservation_free(r);
  seatgate_operation_free(op);
}

/* Alice meets a sold-out zone (409, retryable, Retry-After): the core asks
 * for a wait; meanwhile the same loop drives Bob's release; after the timer
 * the retry, with the same Idempotency-Key, holds her seat. */
static void test_retryable_sold_out(void) {
  CHECK(real_server_put_event("c-step-soldout", 2, NULL) / 100 == 2);
  seatgate_core_t* bob = make_core("bob");
  seatgate_core_t* alice = make_core("alice");
  char bobs[128];
  hold(bob, "c-step-soldout", 2, bobs);

  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.event_id = "c-step-soldout";
  p.zone_id = "floor";
  p.quantity = 1;
  seatgate_operation_t* op = make_op(alice, &p);
  const char* key = seatgate_operation_idempotency_key(op);
  CHECK(strlen(key) == 36);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  seatgate_http_request_t rq;
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  CHECK(seatgate_operation_request(op, &rq) == SEATGATE_OK);
  CHECK_STR(rq.method, "POST");
  CHECK_STR(header_of(&rq, "Idempotency-Key"), key);
  CHECK(strstr(header_of(&rq, "Authorization"), "Bearer ") != NULL);
  CHECK(strstr(rq.body, "\"quantity\":1") != NULL);

  CHECK(send_current(op) == SEATGATE_STEP_WAIT);
  CHECK(seatgate_operation_attempts(op) == 1);
  CHECK(seatgate_operation_wait_ms(op) >= 1000); /* Retry-After is the floor */
  CHECK(seatgate_operation_wait_position(op) == -1);

  /* While Alice's operation waits, Bob's release runs on the same loop. */
  seatgate_operation_params_t rp = params(SEATGATE_OP_RELEASE);
  rp.reservation_id = bobs;
  seatgate_operation_t* rel = make_op(bob, &rp);
  CHECK(drive(rel, seatgate_operation_start(rel)) == SEATGATE_STEP_DONE);
  seatgate_operation_free(rel);

  sleep_ms(seatgate_operation_wait_ms(op));
  CHECK(seatgate_operation_on_timer(op) == SEATGATE_STEP_SEND);
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  CHECK(seatgate_operation_request(op, &rq) == SEATGATE_OK);
  CHECK_STR(header_of(&rq, "Idempotency-Key"), key);
  CHECK(drive(op, SEATGATE_STEP_SEND) == SEATGATE_STEP_DONE);
  CHECK(seatgate_operation_attempts(op) == 2);
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_operation_reservation(op, &r) == SEATGATE_OK);
  CHECK_STR(seatgate_reservation_status(r), "held");
  CHECK(seatgate_reservation_quantity(r) == 1);
  seatgate_reservation_free(r);
  seatgate_operation_free(op);
  seatgate_core_free(alice);
  seatgate_core_free(bob);
}

/* A transport failure is retried after a backoff; the app's timer fires. */
static void test_transport_failure_retried(void) {
  seatgate_core_t* core = make_core("frank");
  seatgate_operation_params_t p = params(SEATGATE_OP_GET_EVENT);
  p.event_id = "c-step-ev";
  seatgate_operation_t* op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(seatgate_operation_on_transport_error(op, SEATGATE_TRANSPORT_NETWORK, "offline") ==
        SEATGATE_STEP_WAIT);
  CHECK(seatgate_operation_wait_ms(op) >= 0);
  CHECK(drive(op, SEATGATE_STEP_WAIT) == SEATGATE_STEP_DONE);
  CHECK(seatgate_operation_attempts(op) == 2);
  seatgate_operation_free(op);

  /* A refused certificate is never retried. */
  op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(seatgate_operation_on_transport_error(op, SEATGATE_TRANSPORT_TLS, "pin mismatch") ==
        SEATGATE_STEP_FAILED);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_TLS);
  CHECK_STR(seatgate_error_code(e), "tls");
  seatgate_error_free(e);
  seatgate_operation_free(op);
  seatgate_core_free(core);
}

/* Cancel during the backoff after a sold_out, and before a request is sent. */
static void test_cancel(void) {
  CHECK(real_server_put_event("c-step-cancel", 1, NULL) / 100 == 2);
  seatgate_core_t* gail = make_core("gail");
  seatgate_core_t* hugo = make_core("hugo");
  char held[128];
  hold(gail, "c-step-cancel", 1, held);

  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.event_id = "c-step-cancel";
  p.zone_id = "floor";
  p.quantity = 1;
  seatgate_operation_t* op = make_op(hugo, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(send_current(op) == SEATGATE_STEP_WAIT);
  CHECK(seatgate_operation_cancel(op, 0) == SEATGATE_STEP_FAILED);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_CANCELLED);
  CHECK_STR(seatgate_error_code(e), "cancelled");
  CHECK(seatgate_error_attempts(e) == 1);
  seatgate_error_free(e);
  CHECK(seatgate_operation_on_timer(op) == SEATGATE_STEP_FAILED); /* the timer fired late */
  seatgate_operation_free(op);

  op = make_op(hugo, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(seatgate_operation_cancel(op, 1) == SEATGATE_STEP_FAILED);
  CHECK(seatgate_operation_attempts(op) == 0);
  seatgate_operation_free(op);
  seatgate_core_free(gail);
  seatgate_core_free(hugo);
}

/* Per-call control of the wait for released seats, and the error's details
 * (request id, Retry-After) from the server's answer. */
static void test_sold_out_wait_per_call(void) {
  seatgate_core_t* core = make_core("jane"); /* c-step-cancel is sold out (test_cancel) */
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.event_id = "c-step-cancel";
  p.zone_id = "floor";
  p.quantity = 1;
  const int64_t allowed[] = {-1, 500};
  for (int i = 0; i < 2; ++i) {
    p.sold_out_wait_ms = allowed[i]; /* none; less than the server's Retry-After */
    seatgate_operation_t* op = make_op(core, &p);
    CHECK(drive(op, seatgate_operation_start(op)) == SEATGATE_STEP_FAILED);
    CHECK(seatgate_operation_attempts(op) == 1);
    seatgate_error_t* e = NULL;
    CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_SERVER);
    CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_SOLD_OUT);
    CHECK(seatgate_error_retryable(e) == 1);
    CHECK(seatgate_error_http_status(e) == 409);
    CHECK(strlen(seatgate_error_request_id(e)) > 0);
    CHECK(seatgate_error_retry_after_ms(e) >= 1000);
    seatgate_error_free(e);
    seatgate_operation_free(op);
  }
  seatgate_core_free(core);
}

static void test_validation_and_bad_arguments(void) {
  seatgate_core_t* core = make_core("ivan");
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.event_id = "c-step-ev";
  p.zone_id = "floor";
  p.quantity = 0;
  seatgate_operation_t* op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_FAILED);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_VALIDATION);
  CHECK_STR(seatgate_error_code(e), "validation_quantity");
  CHECK(seatgate_error_attempts(e) == 0);
  seatgate_error_free(e);
  seatgate_operation_free(op);

  seatgate_operation_t* none = NULL;
  p.struct_size = sizeof(size_t); /* older than any version */
  CHECK(seatgate_operation_new(core, &p, &none, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(none == NULL);
  seatgate_error_free(e);
  p.struct_size = sizeof p;
  p.kind = (seatgate_operation_kind_t)99;
  CHECK(seatgate_operation_new(core, &p, &none, NULL) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(seatgate_operation_start(NULL) == SEATGATE_STEP_FAILED);
  seatgate_core_free(core);
}

int main(void) {
  if (real_server_start() != 0) return 1;
  test_get_event_and_result_types();
  test_retryable_sold_out();
  test_transport_failure_retried();
  test_cancel();
  test_sold_out_wait_per_call();
  test_validation_and_bad_arguments();
  real_server_stop();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_step_test: all checks passed\n");
  return 0;
}
