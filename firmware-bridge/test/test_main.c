/*
 * test_main.c - runs every test of test_list.h.
 * usage: bridge-tests <golden-frames.txt> <scratch directory>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test.h"
#include "test_list.h"

int test_failures_in_current;
const char *test_vectors_path;
const char *test_tmp_dir;

void test_report_failure(const char *file, int line, const char *what) {
    if (test_failures_in_current < 5) {
        printf("       %s:%d: %s\n", file, line, what);
    }
    test_failures_in_current++;
}

#define DECLARE(name) void test_##name(void);
TEST_LIST(DECLARE)

struct test_case {
    const char *name;
    void (*run)(void);
};

#define ENTRY(name) {#name, test_##name},
static const struct test_case tests[] = {TEST_LIST(ENTRY)};

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s <golden-frames.txt> <scratch-dir>\n", argv[0]);
        return 2;
    }
    test_vectors_path = argv[1];
    test_tmp_dir = argv[2];
    mkdir(test_tmp_dir, 0755);
    setvbuf(stdout, NULL, _IOLBF, 0);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        test_failures_in_current = 0;
        tests[i].run();
        /* The failure details were printed above the verdict line. */
        if (test_failures_in_current == 0) {
            printf("ok   %s\n", tests[i].name);
            passed++;
        } else {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        }
    }
    printf("C tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
