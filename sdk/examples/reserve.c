/* Reserve two seats with the C API: synchronously, then asynchronously.
 *   seatgate_example_c http://127.0.0.1:8080 <user-token> <event> <zone> */
#include <seatgate.h>

#include <pthread.h>
#include <stdio.h>

static void on_retry(void *user_data, int attempt, int64_t delay_ms, const char *reason) {
  (void)user_data;
  fprintf(stderr, "retrying (attempt %d) in %lld ms after %s\n", attempt, (long long)delay_ms,
          reason);
}

/* The async call's completion: the main thread sleeps on the condition
 * variable until the callback signals it (no busy-waiting). */
struct done_flag {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
};

/* Runs on one of the client's worker threads; owns `result` and `error`. */
static void on_reserved(void *user_data, seatgate_status_t status, seatgate_reservation_t *result,
                        seatgate_error_t *error) {
  struct done_flag *flag = user_data;
  if (status == SEATGATE_OK)
    printf("async: held %s\n", seatgate_reservation_id(result));
  else
    fprintf(stderr, "async: %s: %s\n", seatgate_error_code(error), seatgate_error_message(error));
  seatgate_reservation_free(result);
  seatgate_error_free(error);
  pthread_mutex_lock(&flag->mu);
  flag->done = 1;
  pthread_cond_signal(&flag->cv);
  pthread_mutex_unlock(&flag->mu);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN EVENT ZONE\n", argv[0]);
    return 2;
  }
  printf("seatgate %s\n", seatgate_version());

  seatgate_options_t *options = seatgate_options_new();
  seatgate_options_set_base_url(options, argv[1]);
  seatgate_options_set_token(options, argv[2]);
  seatgate_options_set_on_retry(options, on_retry, NULL);

  seatgate_client_t *client = NULL;
  seatgate_error_t *error = NULL;
  if (seatgate_client_new(options, &client, &error) != SEATGATE_OK) {
    fprintf(stderr, "%s\n", seatgate_error_message(error));
    seatgate_error_free(error);
    seatgate_options_free(options);
    return 1;
  }
  seatgate_options_free(options); /* the client keeps a copy */

  char key[37];
  seatgate_new_idempotency_key(key); /* persist it to resume after a crash */
  seatgate_reserve_params_t params = {argv[3], argv[4], 2, key, NULL};

  seatgate_reservation_t *held = NULL;
  seatgate_status_t st = seatgate_reserve(client, &params, NULL, &held, &error);
  if (st == SEATGATE_OK) {
    char *json = seatgate_reservation_to_json(held);
    printf("sync: %s\n", json);
    seatgate_string_free(json);
    seatgate_reservation_free(held);
  } else {
    fprintf(stderr, "sync: %s (%s, HTTP %d, %d attempts): %s\n", seatgate_error_code(error),
            seatgate_status_name(st), seatgate_error_http_status(error),
            seatgate_error_attempts(error), seatgate_error_message(error));
    seatgate_error_free(error);
  }

  struct done_flag flag = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
  params.idempotency_key = NULL; /* a new operation: a new key */
  if (seatgate_reserve_async(client, &params, NULL, on_reserved, &flag) == SEATGATE_OK) {
    pthread_mutex_lock(&flag.mu);
    while (!flag.done) pthread_cond_wait(&flag.cv, &flag.mu);
    pthread_mutex_unlock(&flag.mu);
  }
  seatgate_client_free(client);
  return st == SEATGATE_OK ? 0 : 1;
}
