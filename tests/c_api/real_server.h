/* A real seatgate-server + redis-server for the C tests (C++ inside, C
 * interface; tests/support/server_process.h), and a plain HTTP transport
 * over cpp-httplib that a C test's loop uses to send the SDK's requests. */
#ifndef SEATGATE_TESTS_C_API_REAL_SERVER_H
#define SEATGATE_TESTS_C_API_REAL_SERVER_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Starts redis-server and seatgate-server; returns 0 on success. */
int real_server_start(void);
void real_server_stop(void);
/* "http://127.0.0.1:PORT" (static string). */
const char* real_server_base_url(void);
/* A user's bearer token, written into out[n]. */
void real_server_user_token(const char* user, char* out, size_t n);
/* PUT /v1/admin/events/{id}: an on-sale event with one zone "floor" of
 * `capacity` seats and the waiting room `room` (JSON; NULL: off). Returns
 * the HTTP status. */
int real_server_put_event(const char* id, int capacity, const char* room);

/* One HTTP exchange. Returns 0 and fills the response (free it with
 * test_http_response_free), or -1 on a transport failure (no answer). */
typedef struct test_http_response {
  int status;
  size_t header_count;
  char** header_names;
  char** header_values;
  char* body;
  size_t body_length;
} test_http_response_t;
int test_http_perform(const char* method, const char* url, size_t header_count,
                      const char* const* names, const char* const* values, const char* body,
                      size_t body_length, int64_t timeout_ms, test_http_response_t* out);
void test_http_response_free(test_http_response_t* r);
#ifdef __cplusplus
}
#endif
#endif
