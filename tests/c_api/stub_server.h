/* A canned seatgate HTTP API on 127.0.0.1 for the C API test (C++ inside,
 * C interface). Routes: see stub_server.cc. */
#ifndef SEATGATE_STUB_SERVER_H
#define SEATGATE_STUB_SERVER_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Starts the server; returns its port (0 on failure). */
int stub_server_start(void);
void stub_server_stop(void);
/* Requests received so far on POST /v1/reservations. */
int stub_server_reserve_calls(void);
/* The Queue-Pass header of the last POST /v1/reservations ("" if none). */
void stub_server_last_queue_pass(char* out, size_t n);
/* GET /v1/events/gate answers only once the gate is open (closed at start).
 * Arrivals: requests received on it so far. */
void stub_server_close_gate(void);
void stub_server_open_gate(void);
int stub_server_gate_arrivals(void);
#ifdef __cplusplus
}
#endif
#endif
