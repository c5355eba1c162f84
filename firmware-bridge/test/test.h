/*
 * test.h - a minimal test harness. A test is a void function; CHECK records a failure with
 * its location and lets the test continue, REQUIRE stops the test. test_main.c runs each
 * test, prints "ok   <name>" or "FAIL <name>" and the final "C tests: N passed, N failed".
 */
#ifndef TALLENNIN_TEST_H
#define TALLENNIN_TEST_H

#include <stdbool.h>
#include <stdio.h>

extern int test_failures_in_current;
void test_report_failure(const char *file, int line, const char *what);

/* Directories given on the command line. */
extern const char *test_vectors_path;
extern const char *test_tmp_dir;

#define CHECK(cond)                                             \
    do {                                                        \
        if (!(cond)) {                                          \
            test_report_failure(__FILE__, __LINE__, #cond);     \
        }                                                       \
    } while (0)

#define REQUIRE(cond)                                           \
    do {                                                        \
        if (!(cond)) {                                          \
            test_report_failure(__FILE__, __LINE__, #cond);     \
            return;                                             \
        }                                                       \
    } while (0)

#define CHECK_EQ_U(a, b)                                                          \
    do {                                                                          \
        unsigned long long a_ = (unsigned long long)(a);                          \
        unsigned long long b_ = (unsigned long long)(b);                          \
        if (a_ != b_) {                                                           \
            char what_[256];                                                      \
            snprintf(what_, sizeof what_, "%s == %s (%llu != %llu)", #a, #b, a_, b_); \
            test_report_failure(__FILE__, __LINE__, what_);                      \
        }                                                                         \
    } while (0)

#endif
