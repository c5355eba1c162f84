/*
 * scenario.h - the scenario file of the host port: calls on N channels and injected faults.
 * The format is documented in firmware-bridge/README.md ("Scenario files").
 *
 * Times in the file are milliseconds from the scenario's start; the loader turns them into
 * 20 ms scenario ticks (tick = floor(ms / 20)), which is the only clock the runner uses.
 */
#ifndef TALLENNIN_SCENARIO_H
#define TALLENNIN_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "bridge_protocol.h"

#define SCENARIO_MAX_GARBAGE_BYTES 65536u
#define SCENARIO_MAX_FAULT_FRAMES 1000000u
#define SCENARIO_MAX_DISCONNECT_MS 3600000u
#define SCENARIO_MAX_AUDIO_FILE_BYTES (64u * 1024u * 1024u)

enum scenario_fault_kind {
    SCENARIO_FAULT_GARBAGE,    /* amount: bytes */
    SCENARIO_FAULT_BADCRC,     /* amount: frames */
    SCENARIO_FAULT_DROP,       /* amount: frames */
    SCENARIO_FAULT_DUP,        /* amount: frames */
    SCENARIO_FAULT_DISCONNECT, /* amount: milliseconds down */
};

struct scenario_call {
    int line;                  /* line of the directive, for messages */
    uint8_t channel;
    uint32_t start_tick;       /* CALL_START and first audio */
    uint32_t end_tick;         /* CALL_END; last audio at end_tick - 1 */
    char caller[BRIDGE_MAX_STRING + 1]; /* "" = withheld */
    char called[BRIDGE_MAX_STRING + 1];
    char agent_extension[BRIDGE_MAX_STRING + 1];
    uint8_t *audio;            /* the A-law file padded with 0xD5 to whole ticks */
    size_t audio_ticks;        /* its length in ticks (>= 1) */
};

struct scenario_fault {
    int line;
    uint32_t tick;             /* when it is applied */
    enum scenario_fault_kind kind;
    uint32_t amount;
};

struct scenario {
    unsigned channels;         /* 1..BRIDGE_MAX_CHANNELS */
    struct scenario_call *calls;
    size_t call_count;
    struct scenario_fault *faults;
    size_t fault_count;
    uint32_t end_tick;         /* the scenario lasts at least until this tick */
};

/* Load and validate a scenario file. Returns 0, or -1 with a message "<path>:<line>: <what>"
 * in err. On error nothing needs freeing; on success call scenario_free(). */
int scenario_load(struct scenario *scenario, const char *path, char *err, size_t err_len);
void scenario_free(struct scenario *scenario);

/* The 160 samples of a call at a scenario tick inside [start_tick, end_tick). */
const uint8_t *scenario_call_samples(const struct scenario_call *call, uint32_t tick);

/* Name of a fault kind as written in the file ("garbage", "badcrc", ...). */
const char *scenario_fault_name(enum scenario_fault_kind kind);

#endif /* TALLENNIN_SCENARIO_H */
