/* Live availability from C against a real seatgate-server and redis-server:
 * the stream's snapshot then a change made by another client, no callback
 * after seatgate_watch_free, the thread hooks on the watch's thread, a watch
 * freed from its own callback after its client was freed, an unknown event's
 * final error, and bad arguments. */
#include <seatgate.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "real_server.h"

int failures = 0;

typedef struct seen {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int updates;
  int64_t available; /* floor, as last told */
  int live;
  int errors;
  int final;
  char code[64];
  seatgate_watch_t* self; /* set by the test before callbacks may free it */
  int free_in_callback;
  int freed;
} seen_t;

static void seen_init(seen_t* s) {
  memset(s, 0, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cv, NULL);
  s->available = -1;
}

static void seen_destroy(seen_t* s) {
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
}

static void on_update(void* ud, const seatgate_event_t* ev, int live) {
  seen_t* s = ud;
  pthread_mutex_lock(&s->mu);
  ++s->updates;
  s->available = seatgate_event_zone_available(ev, 0);
  s->live = live;
  while (s->free_in_callback && !s->self) pthread_cond_wait(&s->cv, &s->mu);
  seatgate_watch_t* self = s->free_in_callback ? s->self : NULL;
  pthread_mutex_unlock(&s->mu);
  if (self) {
    seatgate_watch_free(self); /* a Swift deinit in the handler */
    pthread_mutex_lock(&s->mu);
    s->freed = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return;
  }
  pthread_mutex_lock(&s->mu);
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

static void on_error(void* ud, const seatgate_error_t* e, int final) {
  seen_t* s = ud;
  pthread_mutex_lock(&s->mu);
  ++s->errors;
  s->final = final;
  snprintf(s->code, sizeof s->code, "%s", seatgate_error_code(e));
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
}

/* Waits (at most a minute: a hang fails the test) until `field` equals `want`. */
static int wait_for(seen_t* s, const int64_t* field64, const int* field, int64_t want) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 60;
  pthread_mutex_lock(&s->mu);
  int rc = 0;
  while ((field64 ? *field64 : *field) != want && rc == 0)
    rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
  int ok = (field64 ? *field64 : *field) == want;
  pthread_mutex_unlock(&s->mu);
  return ok;
}

static int attached = 0, detached = 0;
static void on_attach(void* ud) {
  (void)ud;
  __atomic_add_fetch(&attached, 1, __ATOMIC_SEQ_CST);
}
static void on_detach(void* ud) {
  (void)ud;
  __atomic_add_fetch(&detached, 1, __ATOMIC_SEQ_CST);
}

static seatgate_client_t* make_client(const char* user, int with_hooks) {
  char token[1024];
  real_server_user_token(user, token, sizeof token);
  seatgate_options_t* o = seatgate_options_new();
  seatgate_options_set_base_url(o, real_server_base_url());
  seatgate_options_set_token(o, token);
  if (with_hooks) seatgate_options_set_thread_hooks(o, on_attach, on_detach, NULL);
  seatgate_client_t* c = NULL;
  CHECK(seatgate_client_new(o, &c, NULL) == SEATGATE_OK);
  seatgate_options_free(o);
  return c;
}

static seatgate_watch_params_t params(const char* event_id, seen_t* s) {
  seatgate_watch_params_t p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  p.event_id = event_id;
  p.on_update = on_update;
  p.on_error = on_error;
  p.user_data = s;
  p.poll_interval_ms = 50;
  p.stream_retry_ms = 200;
  return p;
}

static void reserve(seatgate_client_t* c, const char* event_id, int64_t quantity) {
  seatgate_reserve_params_t rp = {event_id, "floor", quantity, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  CHECK(seatgate_reserve(c, &rp, NULL, &r, NULL) == SEATGATE_OK);
  seatgate_reservation_free(r);
}

static void test_snapshot_then_change_then_free(void) {
  CHECK(real_server_put_event("c-watch", 10, NULL) / 100 == 2);
  seatgate_client_t* viewer = make_client("viewer", 1);
  seatgate_client_t* buyer = make_client("buyer", 0);
  seen_t s;
  seen_init(&s);
  seatgate_watch_params_t p = params("c-watch", &s);
  seatgate_watch_t* w = NULL;
  CHECK(seatgate_watch_availability(viewer, &p, &w, NULL) == SEATGATE_OK);
  CHECK(wait_for(&s, &s.available, NULL, 10));
  CHECK(s.live == 1);
  CHECK(seatgate_watch_running(w) == 1);
  reserve(buyer, "c-watch", 3);
  CHECK(wait_for(&s, &s.available, NULL, 7));
  CHECK(s.live == 1);
  seatgate_watch_free(w); /* joins: no callback after it */
  int told = s.updates;
  reserve(buyer, "c-watch", 1);
  CHECK(s.updates == told);
  CHECK(s.errors == 0);
  /* the client's thread hooks ran on the watch's thread */
  CHECK(__atomic_load_n(&attached, __ATOMIC_SEQ_CST) == 1);
  CHECK(__atomic_load_n(&detached, __ATOMIC_SEQ_CST) == 1);
  seen_destroy(&s);
  seatgate_client_free(buyer);
  seatgate_client_free(viewer);
}

static void test_free_from_own_callback(void) {
  CHECK(real_server_put_event("c-watch-self", 5, NULL) / 100 == 2);
  seatgate_client_t* viewer = make_client("viewer", 0);
  seen_t s;
  seen_init(&s);
  s.free_in_callback = 1;
  seatgate_watch_params_t p = params("c-watch-self", &s);
  seatgate_watch_t* w = NULL;
  CHECK(seatgate_watch_availability(viewer, &p, &w, NULL) == SEATGATE_OK);
  seatgate_client_free(viewer); /* the watch polls with a client of its own */
  pthread_mutex_lock(&s.mu);
  s.self = w;
  pthread_cond_broadcast(&s.cv);
  pthread_mutex_unlock(&s.mu);
  CHECK(wait_for(&s, NULL, &s.freed, 1));
  CHECK(s.updates == 1);
  seen_destroy(&s);
}

static void test_unknown_event_and_bad_arguments(void) {
  seatgate_client_t* viewer = make_client("viewer", 0);
  seen_t s;
  seen_init(&s);
  seatgate_watch_params_t p = params("c-watch-missing", &s);
  seatgate_watch_t* w = NULL;
  CHECK(seatgate_watch_availability(viewer, &p, &w, NULL) == SEATGATE_OK);
  CHECK(wait_for(&s, NULL, &s.final, 1));
  CHECK_STR(s.code, SEATGATE_CODE_EVENT_NOT_FOUND);
  CHECK(s.errors == 1 && s.updates == 0);
  seatgate_watch_free(w);
  CHECK(s.errors == 1); /* nothing after the final error */

  seatgate_error_t* e = NULL;
  CHECK(seatgate_watch_availability(viewer, NULL, &w, &e) == SEATGATE_ERR_INVALID_ARGUMENT);
  CHECK(w == NULL);
  seatgate_error_free(e);
  p.struct_size = sizeof(size_t);
  CHECK(seatgate_watch_availability(viewer, &p, &w, NULL) == SEATGATE_ERR_INVALID_ARGUMENT);
  p.struct_size = sizeof p;
  p.on_update = NULL;
  CHECK(seatgate_watch_availability(viewer, &p, &w, NULL) == SEATGATE_ERR_INVALID_ARGUMENT);
  seatgate_watch_free(NULL);
  CHECK(seatgate_watch_running(NULL) == 0);
  seen_destroy(&s);
  seatgate_client_free(viewer);
}

int main(void) {
  if (real_server_start() != 0) return 1;
  test_snapshot_then_change_then_free();
  test_free_from_own_callback();
  test_unknown_event_and_bad_arguments();
  real_server_stop();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_watch_test: all checks passed\n");
  return 0;
}
