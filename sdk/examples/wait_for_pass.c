/* Wait in an event's waiting room, then reserve with the pass: the C API.
 *   seatgate_example_wait_c http://127.0.0.1:8080 <user-token> <event> <zone> */
#include <seatgate.h>

#include <inttypes.h>
#include <stdio.h>

static void on_position(void *user_data, int64_t position, int64_t poll_after_ms,
                        int64_t next_poll_in_ms) {
  (void)user_data;
  (void)poll_after_ms;
  fprintf(stderr, "position %" PRId64 ", asking again in %" PRId64 " ms\n", position,
          next_poll_in_ms);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: %s BASE_URL TOKEN EVENT ZONE\n", argv[0]);
    return 2;
  }
  seatgate_options_t *o = seatgate_options_new();
  seatgate_options_set_base_url(o, argv[1]);
  seatgate_options_set_token(o, argv[2]);
  seatgate_client_t *client = NULL;
  seatgate_error_t *err = NULL;
  if (seatgate_client_new(o, &client, &err) != SEATGATE_OK) {
    fprintf(stderr, "%s\n", seatgate_error_message(err));
    seatgate_error_free(err);
    seatgate_options_free(o);
    return 1;
  }
  seatgate_options_free(o);

  /* Blocks this thread until admitted (or not_required); deadline 0 = 30 min.
   * seatgate_wait_for_pass_async does the same on the client's worker. */
  seatgate_wait_params_t wait = {argv[3], 0, 0, on_position, NULL};
  seatgate_queue_state_t *turn = NULL;
  int rc = 1;
  if (seatgate_wait_for_pass(client, &wait, NULL, &turn, &err) != SEATGATE_OK) {
    fprintf(stderr, "%s: %s\n", seatgate_error_code(err), seatgate_error_message(err));
    seatgate_error_free(err);
    goto done;
  }
  printf("%s\n", seatgate_queue_state_status(turn)); /* admitted | not_required */
  seatgate_queue_state_free(turn);

  /* queue_pass NULL: the client sends the pass it was given. */
  seatgate_reserve_params_t req = {argv[3], argv[4], 1, NULL, NULL};
  seatgate_reservation_t *held = NULL;
  if (seatgate_reserve(client, &req, NULL, &held, &err) != SEATGATE_OK) {
    fprintf(stderr, "%s: %s\n", seatgate_error_code(err), seatgate_error_message(err));
    seatgate_error_free(err);
    goto done;
  }
  printf("held %s\n", seatgate_reservation_id(held));
  seatgate_reservation_free(held);
  rc = 0;
done:
  seatgate_client_free(client);
  return rc;
}
