/* Assigned seating through the C API, from C11: the seat fields of the
 * extensible structs, the seat map handle and its ETag reuse, the taken
 * seats of an error, every seat validation code (nothing sent) and which
 * seat answers are retried. Driven through the step machine with canned
 * answers, so it needs no server; the sync calls use the same core. */
#include <seatgate.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

int failures = 0;

static const char* kMap =
    "{\"event_id\":\"gala\",\"zone_id\":\"stalls\",\"available\":7,"
    "\"rows\":[{\"id\":\"A\",\"seats\":6,\"aisles_after\":[3],\"states\":\"uaaaha\"},"
    "{\"id\":\"B\",\"seats\":4,\"aisles_after\":[],\"states\":\"asaa\"}],"
    "\"unavailable\":[\"A-1\"],\"categories\":{},\"category_prices\":{}}";

static const char* kHeld =
    "{\"id\":\"gala.AAAAAAAAAAAAAAAAAAAAAA\",\"event_id\":\"gala\",\"zone_id\":\"stalls\","
    "\"user_id\":\"alice\",\"quantity\":2,\"amount\":9000,\"currency\":\"EUR\","
    "\"status\":\"held\",\"created_at\":\"2026-01-01T00:00:00Z\","
    "\"expires_at\":\"2026-01-01T00:10:00Z\",\"seats\":[\"A-2\",\"A-3\"]}";

static const char* kTakenHeld =
    "{\"code\":\"seats_taken\",\"status\":409,\"title\":\"t\",\"detail\":\"taken\","
    "\"retryable\":true,\"taken\":[\"B-4\"]}";
static const char* kTakenSold =
    "{\"code\":\"seats_taken\",\"status\":409,\"title\":\"t\",\"detail\":\"taken\","
    "\"retryable\":false,\"taken\":[\"B-3\",\"B-4\"]}";
static const char* kNoAdjacent =
    "{\"code\":\"no_adjacent_seats\",\"status\":409,\"title\":\"t\",\"detail\":\"none\","
    "\"retryable\":true}";

static seatgate_core_t* make_core(void) {
  seatgate_options_t* o = seatgate_options_new();
  CHECK(seatgate_options_set_base_url(o, "http://127.0.0.1:9") == SEATGATE_OK);
  CHECK(seatgate_options_set_token(o, "tok") == SEATGATE_OK);
  /* Retries without real waits: the test only counts them. */
  CHECK(seatgate_options_set_retry_policy(o, 3, 1, 1, 60000) == SEATGATE_OK);
  seatgate_core_t* core = NULL;
  CHECK(seatgate_core_new(o, &core, NULL) == SEATGATE_OK);
  seatgate_options_free(o);
  return core;
}

static seatgate_operation_params_t params(seatgate_operation_kind_t kind) {
  seatgate_operation_params_t p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.kind = kind;
  p.event_id = "gala";
  p.zone_id = "stalls";
  return p;
}

static seatgate_operation_t* make_op(seatgate_core_t* core, const seatgate_operation_params_t* p) {
  seatgate_operation_t* op = NULL;
  CHECK(seatgate_operation_new(core, p, &op, NULL) == SEATGATE_OK);
  return op;
}

/* The current SEND step's header value, or "" (copied into buf). */
static const char* request_header(seatgate_operation_t* op, const char* name, char* buf, size_t n) {
  seatgate_http_request_t rq;
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  buf[0] = '\0';
  if (seatgate_operation_request(op, &rq) != SEATGATE_OK) return buf;
  for (size_t i = 0; i < rq.header_count; ++i)
    if (strcmp(rq.header_names[i], name) == 0) snprintf(buf, n, "%s", rq.header_values[i]);
  return buf;
}

static const char* request_body(seatgate_operation_t* op, char* buf, size_t n) {
  seatgate_http_request_t rq;
  memset(&rq, 0, sizeof rq);
  rq.struct_size = sizeof rq;
  buf[0] = '\0';
  if (seatgate_operation_request(op, &rq) == SEATGATE_OK) snprintf(buf, n, "%s", rq.body);
  return buf;
}

static seatgate_step_kind_t answer(seatgate_operation_t* op, int status, const char* body,
                                   const char* etag) {
  const char* names[2] = {"Content-Type", "ETag"};
  const char* values[2] = {"application/json", etag ? etag : ""};
  seatgate_http_response_t r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.status = status;
  r.header_count = etag ? 2 : 1;
  r.header_names = names;
  r.header_values = values;
  r.body = body;
  r.body_length = strlen(body);
  return seatgate_operation_on_response(op, &r);
}

/* Starts a reserve that must fail validation with `code`, nothing sent. */
static void expect_invalid(seatgate_core_t* core, const seatgate_operation_params_t* p,
                           const char* code) {
  seatgate_operation_t* op = make_op(core, p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_FAILED);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_VALIDATION);
  CHECK_STR(seatgate_error_code(e), code);
  CHECK(seatgate_error_attempts(e) == 0);
  if (e && strcmp(seatgate_error_code(e), code) != 0)
    fprintf(stderr, "  expected %s, got %s: %s\n", code, seatgate_error_code(e),
            seatgate_error_message(e));
  seatgate_error_free(e);
  CHECK(seatgate_operation_attempts(op) == 0);
  seatgate_operation_free(op);
}

static void test_seat_map_and_etag(seatgate_core_t* core) {
  seatgate_operation_params_t p = params(SEATGATE_OP_GET_SEAT_MAP);
  seatgate_operation_t* op = make_op(core, &p);
  char buf[512];
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK_STR(request_header(op, "If-None-Match", buf, sizeof buf), "");
  CHECK(answer(op, 200, kMap, "\"v1\"") == SEATGATE_STEP_DONE);
  seatgate_seat_map_t* m = NULL;
  CHECK(seatgate_operation_seat_map(op, &m) == SEATGATE_OK);
  CHECK_STR(seatgate_seat_map_event_id(m), "gala");
  CHECK_STR(seatgate_seat_map_zone_id(m), "stalls");
  CHECK(seatgate_seat_map_available(m) == 7);
  CHECK_STR(seatgate_seat_map_etag(m), "\"v1\"");
  CHECK(seatgate_seat_map_not_modified(m) == 0);
  CHECK(seatgate_seat_map_row_count(m) == 2);
  CHECK_STR(seatgate_seat_map_row_id(m, 0), "A");
  CHECK(seatgate_seat_map_row_seats(m, 0) == 6);
  CHECK_STR(seatgate_seat_map_row_states(m, 1), "asaa");
  CHECK(seatgate_seat_map_row_aisle_count(m, 0) == 1);
  CHECK(seatgate_seat_map_row_aisle_at(m, 0, 0) == 3);
  CHECK(seatgate_seat_map_row_aisle_at(m, 0, 1) == -1);
  CHECK(seatgate_seat_map_row_id(m, 2) == NULL);
  CHECK(seatgate_seat_map_seat_state(m, "A-5") == 'h');
  CHECK(seatgate_seat_map_seat_state(m, "B-2") == 's');
  CHECK(seatgate_seat_map_seat_state(m, "Z-1") == 0);
  char* j = seatgate_seat_map_to_json(m);
  CHECK(j != NULL && strstr(j, "\"states\":\"uaaaha\"") != NULL);
  seatgate_string_free(j);
  seatgate_seat_map_free(m);
  /* Not a reservation. */
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_operation_reservation(op, &r) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_operation_free(op);

  /* Again: If-None-Match, and a 304 is the copy. */
  op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK_STR(request_header(op, "If-None-Match", buf, sizeof buf), "\"v1\"");
  CHECK(answer(op, 304, "", NULL) == SEATGATE_STEP_DONE);
  CHECK(seatgate_operation_seat_map(op, &m) == SEATGATE_OK);
  CHECK(seatgate_seat_map_not_modified(m) == 1);
  CHECK_STR(seatgate_seat_map_row_states(m, 0), "uaaaha");
  seatgate_seat_map_free(m);
  seatgate_operation_free(op);
}

static void test_validation(seatgate_core_t* core) {
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  const char* unknown[] = {"A-2", "C-1"};
  p.seats = unknown;
  p.seat_count = 2;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_UNKNOWN_SEAT);
  const char* malformed[] = {"twelve"};
  p.seats = malformed;
  p.seat_count = 1;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_UNKNOWN_SEAT);
  const char* twice[] = {"A-2", "A-3", "A-2"};
  p.seats = twice;
  p.seat_count = 3;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_DUPLICATE_SEAT);
  const char* taken[] = {"A-2", "A-5"};
  p.seats = taken;
  p.seat_count = 2;
  {
    seatgate_operation_t* op = make_op(core, &p);
    CHECK(seatgate_operation_start(op) == SEATGATE_STEP_FAILED);
    seatgate_error_t* e = NULL;
    CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_VALIDATION);
    CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_VALIDATION_SEAT_TAKEN);
    CHECK(seatgate_error_taken_count(e) == 1);
    CHECK_STR(seatgate_error_taken_at(e, 0), "A-5");
    CHECK(seatgate_error_taken_at(e, 1) == NULL);
    seatgate_error_free(e);
    seatgate_operation_free(op);
  }
  p.best_available = 1;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_SEAT_SELECTION);
  p.seats = NULL;
  p.seat_count = 0;
  p.quantity = 8; /* the fresh map has 7 available */
  expect_invalid(core, &p, "validation_above_availability");
  p.best_available = 0;
  p.allow_split = 1;
  p.quantity = 2;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_SEAT_SELECTION);
}

static void test_pick_and_retries(seatgate_core_t* core) {
  char buf[512];
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  const char* two[] = {"A-2", "A-3"};
  p.seats = two;
  p.seat_count = 2;
  seatgate_operation_t* op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(strstr(request_body(op, buf, sizeof buf), "\"seats\":[\"A-2\",\"A-3\"]") != NULL);
  CHECK(strstr(buf, "quantity") == NULL);
  CHECK(answer(op, 201, kHeld, NULL) == SEATGATE_STEP_DONE);
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_operation_reservation(op, &r) == SEATGATE_OK);
  CHECK(seatgate_reservation_seat_count(r) == 2);
  CHECK_STR(seatgate_reservation_seat_at(r, 0), "A-2");
  CHECK_STR(seatgate_reservation_seat_at(r, 1), "A-3");
  CHECK(seatgate_reservation_seat_at(r, 2) == NULL);
  seatgate_reservation_free(r);
  seatgate_operation_free(op);
  /* The hold marked A-3 taken in the client's map. */
  const char* again[] = {"A-3"};
  p.seats = again;
  p.seat_count = 1;
  expect_invalid(core, &p, SEATGATE_CODE_VALIDATION_SEAT_TAKEN);

  /* seats_taken while held: retried (the same key), then the server's verdict. */
  const char* b34[] = {"B-3", "B-4"};
  p.seats = b34;
  p.seat_count = 2;
  op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  char key[128];
  request_header(op, "Idempotency-Key", key, sizeof key);
  CHECK(answer(op, 409, kTakenHeld, NULL) == SEATGATE_STEP_WAIT);
  CHECK(seatgate_operation_on_timer(op) == SEATGATE_STEP_SEND);
  CHECK_STR(request_header(op, "Idempotency-Key", buf, sizeof buf), key);
  CHECK(answer(op, 409, kTakenSold, NULL) == SEATGATE_STEP_FAILED);
  seatgate_error_t* e = NULL;
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_SEATS_TAKEN);
  CHECK(seatgate_error_retryable(e) == 0);
  CHECK(seatgate_error_taken_count(e) == 2);
  CHECK_STR(seatgate_error_taken_at(e, 1), "B-4");
  CHECK(seatgate_operation_attempts(op) == 2);
  seatgate_error_free(e);
  seatgate_operation_free(op);

  /* no_adjacent_seats: never retried, whatever the body says. */
  seatgate_operation_params_t b = params(SEATGATE_OP_RESERVE);
  b.quantity = 2;
  b.best_available = 1;
  op = make_op(core, &b);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  CHECK(strstr(request_body(op, buf, sizeof buf), "\"best_available\":true") != NULL);
  CHECK(answer(op, 409, kNoAdjacent, NULL) == SEATGATE_STEP_FAILED);
  CHECK(seatgate_operation_error(op, &e) == SEATGATE_ERR_SERVER);
  CHECK_STR(seatgate_error_code(e), SEATGATE_CODE_NO_ADJACENT_SEATS);
  CHECK(seatgate_error_retryable(e) == 0);
  seatgate_error_free(e);
  CHECK(seatgate_operation_attempts(op) == 1);
  seatgate_operation_free(op);
}

/* A struct of the first version (no seat fields) still works: the library
 * reads only what struct_size covers. */
static void test_old_struct_size(seatgate_core_t* core) {
  seatgate_operation_params_t p = params(SEATGATE_OP_RESERVE);
  p.quantity = 1;
  p.struct_size = offsetof(seatgate_operation_params_t, seats);
  const char* ignored[] = {"nonsense"};
  p.seats = ignored; /* beyond struct_size: not read */
  p.seat_count = 1;
  seatgate_operation_t* op = make_op(core, &p);
  CHECK(seatgate_operation_start(op) == SEATGATE_STEP_SEND);
  seatgate_operation_free(op);
}

int main(void) {
  seatgate_core_t* core = make_core();
  test_seat_map_and_etag(core);
  test_validation(core);
  test_pick_and_retries(core);
  test_old_struct_size(core);
  seatgate_core_free(core);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  else
    printf("c_api_seats_test: all checks passed\n");
  return failures ? 1 : 0;
}
