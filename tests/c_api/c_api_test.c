/* The C API from C11: sync and async calls, error codes and messages,
 * cancellation, and freeing everything (run under ASan/LSan). This file: the
 * version, options, sync calls and errors, and main; async calls and freeing
 * in c_api_async_test.c, the waiting room in c_api_queue_test.c. */
#include "c_api_support.h"

void test_version_and_options(void) {
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

void test_sync(void) {
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

void test_network_error(void) {
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
  test_refused_pass_details();
  stub_server_stop();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
