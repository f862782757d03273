/* Shared plumbing of the C API tests (c_api_support.c): checks, a waiter for
 * async callbacks, and a client against the stub server. */
#ifndef SEATGATE_TESTS_C_API_SUPPORT_H
#define SEATGATE_TESTS_C_API_SUPPORT_H

#include <seatgate.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "stub_server.h"

extern char base_url[64];
extern const char* const kId;
extern int retries_seen; /* on_retry calls of clients made with with_retry_cb */

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

void waiter_init(waiter_t* w);
void waiter_destroy(waiter_t* w);
void waiter_finish(waiter_t* w, seatgate_status_t st, const seatgate_error_t* e, const char* text);
void waiter_wait(waiter_t* w, int n);
/* Callbacks that record into the waiter_t passed as user data. */
void on_reservation(void* ud, seatgate_status_t st, seatgate_reservation_t* r, seatgate_error_t* e);
void on_event(void* ud, seatgate_status_t st, seatgate_event_t* ev, seatgate_error_t* e);
void on_list(void* ud, seatgate_status_t st, seatgate_reservation_list_t* l, seatgate_error_t* e);
void on_queue(void* ud, seatgate_status_t st, seatgate_queue_state_t* q, seatgate_error_t* e);

seatgate_client_t* make_client(const char* token, int with_retry_cb);

/* The test groups, run by main (c_api_test.c). */
void test_version_and_options(void);
void test_sync(void);
void test_network_error(void);
void test_async(void);                         /* c_api_async_test.c */
void test_sync_cancel(void);                   /* c_api_async_test.c */
void test_token_freed_during_calls(void);      /* c_api_async_test.c */
void test_free_client_from_its_callback(void); /* c_api_async_test.c */
void test_wait_for_pass(void);                 /* c_api_queue_test.c */
void test_refused_pass_details(void);          /* c_api_queue_test.c */

#endif
