/*
 * The host port's scenario parser: a good file and bad files, each error naming its line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "test.h"

void test_scenario_good_file(void);
void test_scenario_audio_padding_and_repeat(void);
void test_scenario_bad_files_name_the_line(void);

static void write_file(const char *name, const void *data, size_t len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", test_tmp_dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        abort();
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Writes text as the scenario file `name`, loads it. */
static int load(const char *name, const char *text, struct scenario *s, char *err, size_t n) {
    char path[1024];
    write_file(name, text, strlen(text));
    snprintf(path, sizeof path, "%s/%s", test_tmp_dir, name);
    return scenario_load(s, path, err, n);
}

/* 400 bytes of A-law (2.5 ticks) with a recognisable pattern. */
static void write_audio(void) {
    uint8_t audio[400];
    for (size_t i = 0; i < sizeof audio; i++) {
        audio[i] = (uint8_t)(i % 251);
    }
    write_file("tone.alaw", audio, sizeof audio);
}

void test_scenario_good_file(void) {
    write_audio();
    struct scenario s;
    char err[512] = "";
    int rc = load("good.scn",
                  "# a comment with more words than any directive has fields, 1 2 3 4 5\n"
                  "   # an indented comment\n"
                  "\n"
                  "channels 4\n"
                  "call 0 0 0401234567 0800123456 1001 tone.alaw\n"
                  "call 30 1 - +358800123456 1002 tone.alaw 1000\n"
                  "  call 60 0 0501111111 0800123456 1003 tone.alaw 20   \n"
                  "fault 100 garbage 50\n"
                  "fault 120 badcrc 2\n"
                  "fault 140 drop 1\n"
                  "fault 160 dup 3\n"
                  "fault 200 disconnect 500\n"
                  "end 5000\n",
                  &s, err, sizeof err);
    if (rc != 0) {
        test_report_failure(__FILE__, __LINE__, err);
        return;
    }
    CHECK_EQ_U(s.channels, 4);
    REQUIRE(s.call_count == 3);
    CHECK_EQ_U(s.calls[0].channel, 0);
    CHECK(strcmp(s.calls[0].caller, "0401234567") == 0);
    CHECK_EQ_U(s.calls[0].start_tick, 0);
    CHECK_EQ_U(s.calls[0].end_tick, 3); /* 400 bytes = 2.5 ticks, whole ticks: 3 */
    CHECK(strcmp(s.calls[1].caller, "") == 0); /* '-' = withheld */
    CHECK(strcmp(s.calls[1].called, "+358800123456") == 0);
    CHECK_EQ_U(s.calls[1].start_tick, 1);      /* 30 ms falls in tick 1 */
    CHECK_EQ_U(s.calls[1].end_tick, 1 + 50);
    CHECK_EQ_U(s.calls[2].start_tick, 3);      /* channel 0 again, right after the first */
    CHECK_EQ_U(s.calls[2].end_tick, 4);
    CHECK_EQ_U(s.calls[2].line, 7);
    REQUIRE(s.fault_count == 5);
    CHECK(s.faults[0].kind == SCENARIO_FAULT_GARBAGE && s.faults[0].amount == 50);
    CHECK(s.faults[1].kind == SCENARIO_FAULT_BADCRC && s.faults[1].tick == 6);
    CHECK(s.faults[2].kind == SCENARIO_FAULT_DROP);
    CHECK(s.faults[3].kind == SCENARIO_FAULT_DUP && s.faults[3].amount == 3);
    CHECK(s.faults[4].kind == SCENARIO_FAULT_DISCONNECT && s.faults[4].amount == 500);
    CHECK_EQ_U(s.end_tick, 250);
    scenario_free(&s);
}

void test_scenario_audio_padding_and_repeat(void) {
    write_audio();
    struct scenario s;
    char err[512] = "";
    REQUIRE(load("repeat.scn", "channels 1\ncall 0 0 1 2 3 tone.alaw 200\n", &s, err,
                 sizeof err) == 0);
    const struct scenario_call *call = &s.calls[0];
    CHECK_EQ_U(call->audio_ticks, 3);
    CHECK_EQ_U(call->end_tick, 10);
    const uint8_t *t2 = scenario_call_samples(call, 2);
    CHECK_EQ_U(t2[0], 320 % 251);
    CHECK_EQ_U(t2[79], 399 % 251);
    CHECK_EQ_U(t2[80], 0xD5); /* the last partial tick is padded with A-law silence */
    CHECK_EQ_U(t2[159], 0xD5);
    const uint8_t *t3 = scenario_call_samples(call, 3); /* repeats from the start */
    CHECK_EQ_U(t3[0], 0);
    CHECK_EQ_U(t3[5], 5);
    scenario_free(&s);
}

void test_scenario_bad_files_name_the_line(void) {
    write_audio();
    static const struct {
        const char *text;
        const char *expect; /* must appear in the message */
    } cases[] = {
        {"call 0 0 1 2 3 tone.alaw\n", ":1: the first directive must be 'channels"},
        {"channels 0\n", ":1: channels 0 out of range"},
        {"channels 129\n", ":1: channels 129 out of range"},
        {"# c\nchannels 2\nchannels 2\n", ":3: channels given twice"},
        {"channels 2\ncall 0 2 1 2 3 tone.alaw\n", ":2: channel 2 out of range"},
        {"channels 2\ncall x 0 1 2 3 tone.alaw\n", ":2: start_ms must be a whole number"},
        {"channels 2\ncall 0 0 12a 2 3 tone.alaw\n", ":2: caller '12a'"},
        {"channels 2\ncall 0 0 1 - 3 tone.alaw\n", ":2: called '-'"},
        {"channels 2\ncall 0 0 1 2 3\n", ":2: call needs"},
        {"channels 2\ncall 0 0 1 2 3 missing.alaw\n", ":2: cannot open audio file"},
        {"channels 2\ncall 0 0 1 2 3 tone.alaw 0\n", ":2: duration_ms 0 out of range"},
        {"channels 2\n\ncall 0 1 1 2 3 tone.alaw 1000\ncall 500 1 1 2 3 tone.alaw\n",
         ":4: call on channel 1 overlaps the call of line 3"},
        {"channels 2\nfault 10 explode 1\n", ":2: unknown fault 'explode'"},
        {"channels 2\nfault 10 garbage 0\n", ":2: garbage 0 out of range"},
        {"channels 2\nfault 10 garbage 70000\n", ":2: garbage 70000 out of range"},
        {"channels 2\nfault 10 drop\n", ":2: fault needs"},
        {"channels 2\nend\n", ":2: end needs"},
        {"channels 2\nhangup 10 1\n", ":2: unknown directive 'hangup'"},
        {"# only a comment\n", "no 'channels <N>' directive"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct scenario s;
        char err[512] = "";
        int rc = load("bad.scn", cases[i].text, &s, err, sizeof err);
        CHECK(rc == -1);
        if (strstr(err, cases[i].expect) == NULL || strstr(err, "bad.scn") == NULL) {
            char what[700];
            snprintf(what, sizeof what, "case %zu: '%s' lacks '%s'", i, err, cases[i].expect);
            test_report_failure(__FILE__, __LINE__, what);
        }
        if (rc == 0) {
            scenario_free(&s);
        }
    }
    struct scenario s;
    char err[512];
    CHECK(scenario_load(&s, "/nonexistent/x.scn", err, sizeof err) == -1);
    CHECK(strstr(err, "cannot open") != NULL);
}
