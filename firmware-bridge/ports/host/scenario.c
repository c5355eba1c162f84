/*
 * scenario.c - loader of the host port's scenario files (format: README.md).
 */
#define _POSIX_C_SOURCE 200809L
#include "scenario.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_FIELDS 10

/* Parser state for one file. */
struct loader {
    const char *path;
    char *dir;                 /* directory of the scenario file, for relative audio paths */
    int line;
    char *err;
    size_t err_len;
    struct scenario *out;
    size_t call_cap;
    size_t fault_cap;
};

static int fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct loader *ld, const char *fmt, ...) {
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (ld->line > 0) {
        snprintf(ld->err, ld->err_len, "%s:%d: %s", ld->path, ld->line, what);
    } else {
        snprintf(ld->err, ld->err_len, "%s: %s", ld->path, what);
    }
    return -1;
}

/* A decimal number, digits only, at most max. */
static int parse_uint(struct loader *ld, const char *text, const char *name, uint32_t min,
                      uint32_t max, uint32_t *out) {
    if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text) || strlen(text) > 10) {
        return fail(ld, "%s must be a whole number, got '%s'", name, text);
    }
    unsigned long long value = strtoull(text, NULL, 10);
    if (value < min || value > max) {
        return fail(ld, "%s %s out of range %u..%u", name, text, (unsigned)min, (unsigned)max);
    }
    *out = (uint32_t)value;
    return 0;
}

static uint32_t ticks_ceil(uint64_t ms) {
    return (uint32_t)((ms + BRIDGE_TICK_MS - 1u) / BRIDGE_TICK_MS);
}

static int load_audio(struct loader *ld, const char *name, struct scenario_call *call) {
    char path[PATH_MAX];
    if (name[0] == '/') {
        snprintf(path, sizeof path, "%s", name);
    } else if ((size_t)snprintf(path, sizeof path, "%s/%s", ld->dir, name) >= sizeof path) {
        return fail(ld, "audio path too long");
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return fail(ld, "cannot open audio file %s: %s", path, strerror(errno));
    }
    int rc = -1;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) {
        size = ftell(f);
    }
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        rc = fail(ld, "cannot read audio file %s", path);
    } else if (size == 0) {
        rc = fail(ld, "audio file %s is empty", path);
    } else if ((unsigned long)size > SCENARIO_MAX_AUDIO_FILE_BYTES) {
        rc = fail(ld, "audio file %s is over %u bytes", path, SCENARIO_MAX_AUDIO_FILE_BYTES);
    } else {
        call->audio_ticks = ((size_t)size + BRIDGE_SAMPLES_PER_TICK - 1) / BRIDGE_SAMPLES_PER_TICK;
        size_t padded = call->audio_ticks * BRIDGE_SAMPLES_PER_TICK;
        call->audio = malloc(padded);
        if (call->audio == NULL) {
            rc = fail(ld, "out of memory for %s", path);
        } else if (fread(call->audio, 1, (size_t)size, f) != (size_t)size) {
            rc = fail(ld, "cannot read audio file %s", path);
        } else {
            /* Pad the last tick with A-law silence so audio always comes in whole ticks. */
            memset(call->audio + size, BRIDGE_ALAW_SILENCE, padded - (size_t)size);
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

static int parse_number_field(struct loader *ld, const char *text, const char *name,
                              bool allow_withheld, char out[BRIDGE_MAX_STRING + 1]) {
    if (allow_withheld && strcmp(text, "-") == 0) {
        out[0] = '\0';
        return 0;
    }
    if (!bridge_number_is_valid(text, false)) {
        return fail(ld, "%s '%s' must be 1..%u of 0123456789+*#", name, text, BRIDGE_MAX_STRING);
    }
    snprintf(out, BRIDGE_MAX_STRING + 1, "%s", text);
    return 0;
}

static int add_call(struct loader *ld, char **field, int count) {
    if (count != 7 && count != 8) {
        return fail(ld, "call needs: call <start_ms> <channel> <caller|-> <called> <agent_ext> "
                        "<alaw_file> [<duration_ms>]");
    }
    struct scenario *s = ld->out;
    if (s->call_count == ld->call_cap) {
        size_t cap = ld->call_cap ? ld->call_cap * 2 : 16;
        struct scenario_call *calls = realloc(s->calls, cap * sizeof *calls);
        if (calls == NULL) {
            return fail(ld, "out of memory");
        }
        s->calls = calls;
        ld->call_cap = cap;
    }
    struct scenario_call *call = &s->calls[s->call_count];
    memset(call, 0, sizeof *call);
    call->line = ld->line;
    uint32_t start_ms, channel, duration_ms = 0;
    if (parse_uint(ld, field[1], "start_ms", 0, UINT32_MAX / 2, &start_ms) != 0 ||
        parse_uint(ld, field[2], "channel", 0, s->channels - 1, &channel) != 0 ||
        parse_number_field(ld, field[3], "caller", true, call->caller) != 0 ||
        parse_number_field(ld, field[4], "called", false, call->called) != 0 ||
        parse_number_field(ld, field[5], "agent_ext", false, call->agent_extension) != 0 ||
        (count == 8 && parse_uint(ld, field[7], "duration_ms", 1, UINT32_MAX / 2, &duration_ms)))
    {
        return -1;
    }
    if (load_audio(ld, field[6], call) != 0) {
        return -1;
    }
    s->call_count++; /* owns call->audio from here on, freed by scenario_free() */
    call->channel = (uint8_t)channel;
    call->start_tick = start_ms / BRIDGE_TICK_MS;
    uint32_t duration_ticks = count == 8 ? ticks_ceil(duration_ms) : (uint32_t)call->audio_ticks;
    call->end_tick = call->start_tick + duration_ticks;
    return 0;
}

static int parse_fault_kind(struct loader *ld, const char *text, enum scenario_fault_kind *out) {
    static const char *const names[] = {"garbage", "badcrc", "drop", "dup", "disconnect"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum scenario_fault_kind)i;
            return 0;
        }
    }
    return fail(ld, "unknown fault '%s' (garbage, badcrc, drop, dup, disconnect)", text);
}

const char *scenario_fault_name(enum scenario_fault_kind kind) {
    switch (kind) {
    case SCENARIO_FAULT_GARBAGE: return "garbage";
    case SCENARIO_FAULT_BADCRC: return "badcrc";
    case SCENARIO_FAULT_DROP: return "drop";
    case SCENARIO_FAULT_DUP: return "dup";
    case SCENARIO_FAULT_DISCONNECT: return "disconnect";
    }
    return "?";
}

static int add_fault(struct loader *ld, char **field, int count) {
    if (count != 4) {
        return fail(ld, "fault needs: fault <at_ms> <kind> <amount>");
    }
    struct scenario *s = ld->out;
    if (s->fault_count == ld->fault_cap) {
        size_t cap = ld->fault_cap ? ld->fault_cap * 2 : 16;
        struct scenario_fault *faults = realloc(s->faults, cap * sizeof *faults);
        if (faults == NULL) {
            return fail(ld, "out of memory");
        }
        s->faults = faults;
        ld->fault_cap = cap;
    }
    struct scenario_fault *fault = &s->faults[s->fault_count];
    uint32_t at_ms, amount, max;
    if (parse_uint(ld, field[1], "at_ms", 0, UINT32_MAX / 2, &at_ms) != 0 ||
        parse_fault_kind(ld, field[2], &fault->kind) != 0) {
        return -1;
    }
    max = fault->kind == SCENARIO_FAULT_GARBAGE      ? SCENARIO_MAX_GARBAGE_BYTES
          : fault->kind == SCENARIO_FAULT_DISCONNECT ? SCENARIO_MAX_DISCONNECT_MS
                                                     : SCENARIO_MAX_FAULT_FRAMES;
    if (parse_uint(ld, field[3], field[2], 1, max, &amount) != 0) {
        return -1;
    }
    fault->line = ld->line;
    fault->tick = at_ms / BRIDGE_TICK_MS;
    fault->amount = amount;
    s->fault_count++;
    return 0;
}

static int parse_line(struct loader *ld, char *text) {
    const char *first = text + strspn(text, " \t\r\n");
    if (*first == '#' || *first == '\0') {
        return 0; /* comment or blank: any number of words */
    }
    char *field[MAX_FIELDS + 1];
    int count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(text, " \t\r\n", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (count == MAX_FIELDS) {
            return fail(ld, "too many fields");
        }
        field[count++] = tok;
    }
    struct scenario *s = ld->out;
    if (strcmp(field[0], "channels") == 0) {
        if (s->channels != 0) {
            return fail(ld, "channels given twice");
        }
        uint32_t n;
        if (count != 2) {
            return fail(ld, "channels needs: channels <N>");
        }
        if (parse_uint(ld, field[1], "channels", 1, BRIDGE_MAX_CHANNELS, &n) != 0) {
            return -1;
        }
        s->channels = n;
        return 0;
    }
    if (s->channels == 0) {
        return fail(ld, "the first directive must be 'channels <N>', got '%s'", field[0]);
    }
    if (strcmp(field[0], "call") == 0) {
        return add_call(ld, field, count);
    }
    if (strcmp(field[0], "fault") == 0) {
        return add_fault(ld, field, count);
    }
    if (strcmp(field[0], "end") == 0) {
        uint32_t at_ms;
        if (count != 2) {
            return fail(ld, "end needs: end <at_ms>");
        }
        if (parse_uint(ld, field[1], "end at_ms", 0, UINT32_MAX / 2, &at_ms) != 0) {
            return -1;
        }
        uint32_t tick = ticks_ceil(at_ms);
        if (tick > s->end_tick) {
            s->end_tick = tick;
        }
        return 0;
    }
    return fail(ld, "unknown directive '%s' (channels, call, fault, end)", field[0]);
}

/* Two calls on one channel must not overlap; one may start at the tick the other ends. */
static int check_overlaps(struct loader *ld) {
    const struct scenario *s = ld->out;
    for (size_t i = 0; i < s->call_count; i++) {
        for (size_t j = i + 1; j < s->call_count; j++) {
            const struct scenario_call *a = &s->calls[i], *b = &s->calls[j];
            if (a->channel == b->channel && a->start_tick < b->end_tick &&
                b->start_tick < a->end_tick) {
                ld->line = b->line;
                return fail(ld, "call on channel %u overlaps the call of line %d", b->channel,
                            a->line);
            }
        }
    }
    return 0;
}

void scenario_free(struct scenario *scenario) {
    for (size_t i = 0; i < scenario->call_count; i++) {
        free(scenario->calls[i].audio);
    }
    free(scenario->calls);
    free(scenario->faults);
    memset(scenario, 0, sizeof *scenario);
}

int scenario_load(struct scenario *scenario, const char *path, char *err, size_t err_len) {
    memset(scenario, 0, sizeof *scenario);
    struct loader ld = {.path = path, .err = err, .err_len = err_len, .out = scenario};
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return fail(&ld, "cannot open: %s", strerror(errno));
    }
    ld.dir = strdup(path);
    if (ld.dir == NULL) {
        fclose(f);
        return fail(&ld, "out of memory");
    }
    char *slash = strrchr(ld.dir, '/');
    if (slash == NULL) {
        strcpy(ld.dir, ".");
    } else if (slash == ld.dir) {
        ld.dir[1] = '\0';
    } else {
        *slash = '\0';
    }

    int rc = 0;
    char text[MAX_LINE];
    while (rc == 0 && fgets(text, sizeof text, f) != NULL) {
        ld.line++;
        if (strchr(text, '\n') == NULL && !feof(f)) {
            rc = fail(&ld, "line longer than %d characters", MAX_LINE - 2);
            break;
        }
        rc = parse_line(&ld, text);
    }
    if (rc == 0 && ferror(f)) {
        rc = fail(&ld, "read error");
    }
    if (rc == 0 && scenario->channels == 0) {
        ld.line = 0;
        rc = fail(&ld, "no 'channels <N>' directive");
    }
    if (rc == 0) {
        rc = check_overlaps(&ld);
    }
    fclose(f);
    free(ld.dir);
    if (rc != 0) {
        scenario_free(scenario);
        return -1;
    }
    for (size_t i = 0; i < scenario->call_count; i++) {
        if (scenario->calls[i].end_tick > scenario->end_tick) {
            scenario->end_tick = scenario->calls[i].end_tick;
        }
    }
    for (size_t i = 0; i < scenario->fault_count; i++) {
        const struct scenario_fault *fault = &scenario->faults[i];
        uint32_t last = fault->tick;
        if (fault->kind == SCENARIO_FAULT_DISCONNECT) {
            last += ticks_ceil(fault->amount);
        }
        if (last > scenario->end_tick) {
            scenario->end_tick = last;
        }
    }
    return 0;
}

const uint8_t *scenario_call_samples(const struct scenario_call *call, uint32_t tick) {
    size_t offset = (size_t)(tick - call->start_tick) % call->audio_ticks;
    return call->audio + offset * BRIDGE_SAMPLES_PER_TICK;
}
