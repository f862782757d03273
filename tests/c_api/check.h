/* Checks of the C tests: a failed CHECK prints where and counts in
 * `failures` (defined once per test program); main fails when it is not 0. */
#ifndef SEATGATE_TESTS_C_API_CHECK_H
#define SEATGATE_TESTS_C_API_CHECK_H

#include <stdio.h>
#include <string.h>

extern int failures;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)
#define CHECK_STR(a, b) CHECK((a) != NULL && strcmp((a), (b)) == 0)

#endif
