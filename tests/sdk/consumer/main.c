#include <seatgate.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  char key[37];
  seatgate_client_t* c = NULL;
  seatgate_error_t* e = NULL;
  if (strcmp(seatgate_version(), "0.1.0") != 0 || SEATGATE_VERSION_MAJOR != 0) return 1;
  if (seatgate_client_new(NULL, &c, &e) != SEATGATE_OK) return 1;
  seatgate_reserve_params_t p = {"summer", "floor", 0, NULL, NULL};
  seatgate_reservation_t* r = NULL;
  seatgate_status_t st = seatgate_reserve(c, &p, NULL, &r, &e);
  int ok =
      st == SEATGATE_ERR_VALIDATION && strcmp(seatgate_error_code(e), "validation_quantity") == 0;
  seatgate_new_idempotency_key(key);
  printf("c ok=%d %s key %s\n", ok, seatgate_error_message(e), key);
  seatgate_error_free(e);
  seatgate_client_free(c);
  return ok ? 0 : 1;
}
