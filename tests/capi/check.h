/* The one assertion the C tests use: counts a failed check and goes on, so a
 * run reports every failure, not only the first. Each test program is one
 * translation unit. */
#ifndef IDENTRAIL_TESTS_CHECK_H
#define IDENTRAIL_TESTS_CHECK_H

#include <stdio.h>

static int failures = 0;
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

#endif
