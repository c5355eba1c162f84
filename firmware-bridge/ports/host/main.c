/*
 * main.c - tallennin-bridge-sim: the bridge firmware's app logic on a POSIX host, playing a
 * telephony card from a scenario file (or flooding audio for benchmarks) on a pseudo-terminal.
 * Command line and output lines: firmware-bridge/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "bridge_app.h"
#include "hal.h"
#include "pty_link.h"
#include "scenario.h"

#define PROGRAM "tallennin-bridge-sim"
#define FIRMWARE_VERSION "1.0.0-host"
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2
#define FLOOD_DRAIN_TIMEOUT_MS 10000u

struct options {
    const char *scenario_path;
    const char *link_path;
    bool wait_hello;
    double speed;
    unsigned flood_channels; /* 0 = scenario mode */
    double flood_seconds;
    bool have_boot_id;
    uint32_t boot_id;
    bool quiet;
    bool repeat; /* play the scenario again and again on the same link, never DONE */
    size_t tx_buffer; /* 0 = the whole ring */
};

/* The host port: what hal.h's `port` points to. */
struct host_port {
    struct pty_link link;
    const struct options *options;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) {
    stop_signal = sig;
}

/* ---- Output ---- */

static bool quiet;

/* A machine-readable event line on stdout. Lines a harness needs (PTY, DONE, FLOOD) are
 * printed even with --quiet. */
static void event_line(bool always, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void event_line(bool always, const char *fmt, ...) {
    if (quiet && !always) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* ---- Time ---- */

static uint64_t monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- HAL ---- */

bool hal_link_is_open(void *port) {
    struct host_port *self = port;
    return self->link.master_fd >= 0 && self->link.peer_open;
}

size_t hal_link_tx_space(void *port) {
    struct host_port *self = port;
    return pty_link_tx_space(&self->link);
}

void hal_link_write(void *port, const uint8_t *frame, size_t len) {
    struct host_port *self = port;
    pty_link_write_frame(&self->link, frame, len);
}

uint32_t hal_millis(void *port) {
    (void)port;
    return (uint32_t)(monotonic_us() / 1000u);
}

uint32_t hal_random_u32(void *port) {
    struct host_port *self = port;
    if (self->options->have_boot_id) {
        return self->options->boot_id;
    }
    uint32_t value = 0;
    if (getrandom(&value, sizeof value, 0) != (ssize_t)sizeof value) {
        value = (uint32_t)monotonic_us() ^ (uint32_t)getpid() << 16;
    }
    return value;
}

void hal_assert_failed(const char *file, int line, const char *expr) {
    fprintf(stderr, PROGRAM ": internal error: %s:%d: ASSERT(%s)\n", file, line, expr);
    abort();
}

/* ---- Command line ---- */

static void usage(FILE *out) {
    fprintf(out,
            "usage: " PROGRAM " --scenario FILE [--wait-hello] [--speed F] [options]\n"
            "       " PROGRAM " --flood CHANNELS --duration SECONDS [options]\n"
            "options:\n"
            "  --scenario FILE     play the calls and faults of FILE (format: README.md)\n"
            "  --wait-hello        start the scenario clock at the first HELLO from the host\n"
            "  --speed F           scenario time factor, 0.01..1000 (default 1 = real time)\n"
            "  --repeat            play the scenario again after its end, on the same link\n"
            "  --flood N           CALL_START on N channels, then AUDIO as fast as the pty takes\n"
            "  --duration S        length of the flood in seconds\n"
            "  --link PATH         keep a symlink PATH -> the pty slave\n"
            "  --boot-id N         fixed boot id (decimal or 0x hex) instead of a random one\n"
            "  --tx-buffer BYTES   transmit buffer, 64..524288 (default the most): frames that\n"
            "                      do not fit while the host does not read are dropped\n"
            "  --quiet             print only the PTY, DONE and FLOOD lines\n");
}

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROGRAM ": ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    usage(stderr);
    return -1;
}

static int parse_double(const char *text, double min, double max, double *out) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value >= min && value <= max)) {
        return -1;
    }
    *out = value;
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o) {
    memset(o, 0, sizeof *o);
    o->speed = 1.0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = true;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(arg, "--wait-hello") == 0) {
            o->wait_hello = true;
            takes_value = false;
        } else if (strcmp(arg, "--quiet") == 0) {
            o->quiet = true;
            takes_value = false;
        } else if (strcmp(arg, "--repeat") == 0) {
            o->repeat = true;
            takes_value = false;
        } else if (value == NULL) {
            return bad_usage("%s needs a value (or is unknown)", arg);
        } else if (strcmp(arg, "--scenario") == 0) {
            o->scenario_path = value;
        } else if (strcmp(arg, "--link") == 0) {
            o->link_path = value;
        } else if (strcmp(arg, "--speed") == 0) {
            if (parse_double(value, 0.01, 1000.0, &o->speed) != 0) {
                return bad_usage("--speed must be a number in 0.01..1000, got '%s'", value);
            }
        } else if (strcmp(arg, "--flood") == 0) {
            double n;
            if (parse_double(value, 1, BRIDGE_MAX_CHANNELS, &n) != 0 || n != floor(n)) {
                return bad_usage("--flood must be 1..%u channels, got '%s'", BRIDGE_MAX_CHANNELS,
                                 value);
            }
            o->flood_channels = (unsigned)n;
        } else if (strcmp(arg, "--duration") == 0) {
            if (parse_double(value, 0.001, 86400.0, &o->flood_seconds) != 0) {
                return bad_usage("--duration must be seconds in 0.001..86400, got '%s'", value);
            }
        } else if (strcmp(arg, "--tx-buffer") == 0) {
            double n;
            if (parse_double(value, 64, PTY_LINK_RING_BYTES, &n) != 0 || n != floor(n)) {
                return bad_usage("--tx-buffer must be 64..%u bytes, got '%s'", PTY_LINK_RING_BYTES, value);
            }
            o->tx_buffer = (size_t)n;
        } else if (strcmp(arg, "--boot-id") == 0) {
            char *end;
            errno = 0;
            unsigned long long id = strtoull(value, &end, 0);
            if (errno != 0 || end == value || *end != '\0' || id > UINT32_MAX) {
                return bad_usage("--boot-id must be a 32-bit number, got '%s'", value);
            }
            o->boot_id = (uint32_t)id;
            o->have_boot_id = true;
        } else {
            return bad_usage("unknown option %s", arg);
        }
        if (takes_value) {
            i++;
        }
    }
    if ((o->scenario_path != NULL) == (o->flood_channels != 0)) {
        return bad_usage("give exactly one of --scenario FILE or --flood CHANNELS");
    }
    if (o->flood_channels != 0 && o->flood_seconds <= 0) {
        return bad_usage("--flood needs --duration SECONDS");
    }
    if (o->flood_channels == 0 && o->flood_seconds > 0) {
        return bad_usage("--duration belongs to --flood");
    }
    if (o->flood_channels != 0 && o->repeat) {
        return bad_usage("--repeat belongs to --scenario");
    }
    return 0;
}

/* ---- Shared loop pieces ---- */

struct sim {
    struct host_port port;
    struct bridge bridge;
    uint8_t samples[BRIDGE_MAX_CHANNELS][BRIDGE_SAMPLES_PER_TICK];
};

static int open_link(struct sim *sim) {
    char err[512];
    if (pty_link_open(&sim->port.link, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return -1;
    }
    event_line(true, "PTY %s", sim->port.link.slave_path);
    return 0;
}

/* Move bytes both ways and let the app run its timers. */
static void service_link(struct sim *sim) {
    struct pty_link *link = &sim->port.link;
    pty_link_check_peer(link);
    if (link->peer_open) {
        uint8_t buf[4096];
        size_t n;
        while ((n = pty_link_read(link, buf, sizeof buf)) > 0) {
            bridge_rx_bytes(&sim->bridge, buf, n);
        }
    }
    bridge_poll(&sim->bridge);
    if (link->peer_open && pty_link_flush(link) != 0) {
        fprintf(stderr, PROGRAM ": write to pty: %s\n", strerror(errno));
    }
}

/* Sleep until the deadline or until the pty has something for us (input, or room when we have
 * output waiting). Without a peer, the master polls as POLLHUP at once, so it is not polled
 * then: pty_link_check_peer() notices a new peer at the next tick. */
static void wait_until(struct sim *sim, uint64_t deadline_us) {
    struct pty_link *link = &sim->port.link;
    uint64_t now = monotonic_us();
    int timeout_ms = deadline_us > now ? (int)((deadline_us - now + 999u) / 1000u) : 0;
    if (timeout_ms > 20) {
        timeout_ms = 20; /* notice a peer opening the slave within a tick */
    }
    struct pollfd pfd = {.fd = -1};
    if (link->master_fd >= 0 && link->peer_open) {
        pfd.fd = link->master_fd;
        pfd.events = (short)(POLLIN | (link->ring_len > 0 ? POLLOUT : 0));
    }
    poll(&pfd, 1, timeout_ms);
}

static void print_summary(const struct sim *sim) {
    if (quiet) {
        return;
    }
    const struct bridge *b = &sim->bridge;
    fprintf(stderr,
            PROGRAM ": tx_frames=%" PRIu32 " tx_retransmits=%" PRIu32
                    " tx_dropped_events=%" PRIu32 " audio_frames_lost=%" PRIu32
                    " rx_frames=%" PRIu32 " rx_header_crc_errors=%" PRIu32
                    " rx_frame_crc_errors=%" PRIu32 " rx_bytes_skipped=%" PRIu32
                    " bytes_to_pty=%" PRIu64 " bytes_discarded=%" PRIu64 "\n",
            b->stats.tx_frames, b->stats.tx_retransmits, b->stats.tx_dropped_events,
            b->stats.audio_frames_lost, b->rx.frames, b->rx.header_crc_errors,
            b->rx.frame_crc_errors, b->rx.bytes_skipped, sim->port.link.bytes_to_pty,
            sim->port.link.bytes_discarded);
}

/* ---- Scenario mode ---- */

/* One entry of the time line: ends before faults before starts within a tick, so a channel
 * can be reused at the tick its previous call ends. */
enum step_kind { STEP_CALL_END, STEP_FAULT, STEP_RECONNECT, STEP_CALL_START };

struct step {
    uint32_t tick;
    enum step_kind kind;
    size_t index; /* into calls or faults */
    int line;
};

static int compare_steps(const void *a, const void *b) {
    const struct step *x = a, *y = b;
    if (x->tick != y->tick) {
        return x->tick < y->tick ? -1 : 1;
    }
    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    return x->line < y->line ? -1 : x->line > y->line;
}

static struct step *build_timeline(const struct scenario *s, size_t *count) {
    size_t n = 2 * s->call_count + 2 * s->fault_count;
    struct step *steps = calloc(n ? n : 1, sizeof *steps);
    if (steps == NULL) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->call_count; i++) {
        const struct scenario_call *c = &s->calls[i];
        steps[k++] = (struct step){c->start_tick, STEP_CALL_START, i, c->line};
        steps[k++] = (struct step){c->end_tick, STEP_CALL_END, i, c->line};
    }
    for (size_t i = 0; i < s->fault_count; i++) {
        const struct scenario_fault *f = &s->faults[i];
        steps[k++] = (struct step){f->tick, STEP_FAULT, i, f->line};
        if (f->kind == SCENARIO_FAULT_DISCONNECT) {
            uint32_t back = f->tick + (f->amount + BRIDGE_TICK_MS - 1u) / BRIDGE_TICK_MS;
            steps[k++] = (struct step){back, STEP_RECONNECT, i, f->line};
        }
    }
    qsort(steps, k, sizeof *steps, compare_steps);
    *count = k;
    return steps;
}

static int apply_fault(struct sim *sim, const struct scenario_fault *fault) {
    struct pty_link *link = &sim->port.link;
    event_line(false, "FAULT %s %" PRIu32, scenario_fault_name(fault->kind), fault->amount);
    switch (fault->kind) {
    case SCENARIO_FAULT_GARBAGE: pty_link_write_garbage(link, fault->amount); break;
    case SCENARIO_FAULT_BADCRC: link->badcrc_frames += fault->amount; break;
    case SCENARIO_FAULT_DROP: link->drop_frames += fault->amount; break;
    case SCENARIO_FAULT_DUP: link->dup_frames += fault->amount; break;
    case SCENARIO_FAULT_DISCONNECT:
        if (link->master_fd >= 0) {
            pty_link_close(link);
            event_line(false, "DISCONNECT");
        }
        break;
    }
    return 0;
}

/* Apply the time line's steps of scenario tick t. Returns -1 on a fatal error. */
static int run_steps(struct sim *sim, const struct scenario *s, const struct step *steps,
                     size_t step_count, size_t *next, uint32_t t,
                     const struct scenario_call **active) {
    for (; *next < step_count && steps[*next].tick == t; (*next)++) {
        const struct step *step = &steps[*next];
        uint32_t call_ref = 0;
        enum bridge_error rc;
        switch (step->kind) {
        case STEP_CALL_START: {
            const struct scenario_call *call = &s->calls[step->index];
            rc = bridge_call_start(&sim->bridge, call->channel, call->caller, call->called,
                                   call->agent_extension, &call_ref);
            if (rc != BRIDGE_OK && rc != BRIDGE_E_QUEUE_FULL) {
                fprintf(stderr, PROGRAM ": line %d: call start refused (%d)\n", call->line, rc);
                return -1;
            }
            active[call->channel] = call;
            event_line(false, "CALL_START %u %" PRIu32, call->channel, call_ref);
            break;
        }
        case STEP_CALL_END: {
            const struct scenario_call *call = &s->calls[step->index];
            rc = bridge_call_end(&sim->bridge, call->channel, BRIDGE_CAUSE_NORMAL, &call_ref);
            if (rc != BRIDGE_OK && rc != BRIDGE_E_QUEUE_FULL) {
                fprintf(stderr, PROGRAM ": line %d: call end refused (%d)\n", call->line, rc);
                return -1;
            }
            active[call->channel] = NULL;
            event_line(false, "CALL_END %u %" PRIu32, call->channel, call_ref);
            break;
        }
        case STEP_FAULT:
            apply_fault(sim, &s->faults[step->index]);
            break;
        case STEP_RECONNECT:
            if (sim->port.link.master_fd < 0) {
                event_line(false, "RECONNECT");
                if (open_link(sim) != 0) { /* prints the new PTY line */
                    return -1;
                }
            }
            break;
        }
    }
    return 0;
}

static int run_scenario(struct sim *sim, const struct options *o) {
    struct scenario scenario;
    char err[1024];
    if (scenario_load(&scenario, o->scenario_path, err, sizeof err) != 0) {
        fprintf(stderr, PROGRAM ": %s\n", err);
        return EXIT_USAGE;
    }
    size_t step_count = 0;
    struct step *steps = build_timeline(&scenario, &step_count);
    if (steps == NULL) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        scenario_free(&scenario);
        return EXIT_RUNTIME;
    }
    struct bridge_config config = {.channel_count = (uint8_t)scenario.channels,
                                   .firmware_version = FIRMWARE_VERSION};
    int exit_code = EXIT_RUNTIME;
    if (!bridge_init(&sim->bridge, &sim->port, &config) || open_link(sim) != 0) {
        goto out;
    }
    const struct scenario_call *active[BRIDGE_MAX_CHANNELS] = {0};
    uint64_t clock_start_us = monotonic_us();
    uint64_t tick_us = (uint64_t)llround(BRIDGE_TICK_MS * 1000.0 / o->speed);
    if (tick_us == 0) {
        tick_us = 1;
    }
    uint64_t card_tick = 0;       /* ticks handed to the app so far */
    bool started = !o->wait_hello;
    uint64_t scenario_first_tick = 0;
    size_t next_step = 0;
    uint32_t passes = 0;

    while (!stop_signal) {
        service_link(sim);
        if (!started && sim->bridge.stats.hellos > 0) {
            started = true;
            scenario_first_tick = card_tick;
        }
        /* Run every card tick whose 20 ms (scaled by --speed) have passed. */
        uint64_t now = monotonic_us();
        while ((card_tick + 1) * tick_us <= now - clock_start_us && !stop_signal) {
            if (started) {
                uint32_t t = (uint32_t)(card_tick - scenario_first_tick);
                if (run_steps(sim, &scenario, steps, step_count, &next_step, t, active) != 0) {
                    goto out;
                }
                for (unsigned c = 0; c < scenario.channels; c++) {
                    if (active[c] != NULL) {
                        memcpy(sim->samples[c], scenario_call_samples(active[c], t),
                               BRIDGE_SAMPLES_PER_TICK);
                    }
                }
            }
            bridge_audio_tick(&sim->bridge, (const uint8_t(*)[BRIDGE_SAMPLES_PER_TICK])sim->samples);
            card_tick++;
            service_link(sim);
        }
        if (started && next_step == step_count &&
            card_tick - scenario_first_tick >= scenario.end_tick &&
            bridge_signalling_idle(&sim->bridge)) {
            if (o->repeat) {
                /* The next pass on the same link and the same boot: the card keeps running, as
                 * a real one does between calls, so the host sees a healthy link throughout.
                 * Call refs go on counting (the app never reuses one). */
                passes++;
                event_line(false, "PASS %" PRIu32, passes);
                next_step = 0;
                scenario_first_tick = card_tick;
                continue;
            }
            /* Let the last frames reach a reader that is there. */
            uint64_t give_up = monotonic_us() + 2000000u;
            while (sim->port.link.ring_len > 0 && sim->port.link.peer_open &&
                   monotonic_us() < give_up && !stop_signal) {
                service_link(sim);
                wait_until(sim, monotonic_us() + 10000u);
            }
            event_line(true, "DONE");
            exit_code = 0;
            goto out;
        }
        wait_until(sim, clock_start_us + (card_tick + 1) * tick_us);
    }
    exit_code = 0; /* SIGTERM / SIGINT: a clean stop */
out:
    print_summary(sim);
    free(steps);
    scenario_free(&scenario);
    return exit_code;
}

/* ---- Flood mode ---- */

static int run_flood(struct sim *sim, const struct options *o) {
    struct bridge_config config = {.channel_count = (uint8_t)o->flood_channels,
                                   .firmware_version = FIRMWARE_VERSION};
    if (!bridge_init(&sim->bridge, &sim->port, &config) || open_link(sim) != 0) {
        return EXIT_RUNTIME;
    }
    /* Nobody listening, nothing to measure: wait for the reader (and its HELLO if asked). */
    while (!stop_signal && (!sim->port.link.peer_open ||
                            (o->wait_hello && sim->bridge.stats.hellos == 0))) {
        service_link(sim);
        wait_until(sim, monotonic_us() + 5000u);
    }
    for (unsigned c = 0; c < o->flood_channels && !stop_signal; c++) {
        char agent[16];
        snprintf(agent, sizeof agent, "%u", 1000u + c);
        uint32_t call_ref;
        if (bridge_call_start(&sim->bridge, (uint8_t)c, "+358401234567", "+358800123456", agent,
                              &call_ref) == BRIDGE_OK) {
            event_line(false, "CALL_START %u %" PRIu32, c, call_ref);
        }
    }
    uint32_t frames_before = sim->bridge.stats.tx_frames;
    uint32_t bytes_before = sim->bridge.stats.tx_bytes;
    size_t audio_frame_bytes =
        BRIDGE_FRAME_OVERHEAD + BRIDGE_AUDIO_HEADER_SIZE +
        (o->flood_channels > BRIDGE_AUDIO_CHANNELS_PER_FRAME ? BRIDGE_AUDIO_CHANNELS_PER_FRAME
                                                             : o->flood_channels) *
            BRIDGE_AUDIO_ENTRY_SIZE;
    size_t tick_bytes = audio_frame_bytes * ((o->flood_channels + BRIDGE_AUDIO_CHANNELS_PER_FRAME -
                                              1u) / BRIDGE_AUDIO_CHANNELS_PER_FRAME);
    uint64_t start_us = monotonic_us();
    uint64_t end_us = start_us + (uint64_t)(o->flood_seconds * 1e6);
    while (!stop_signal && monotonic_us() < end_us) {
        service_link(sim);
        if (!sim->port.link.peer_open) {
            wait_until(sim, monotonic_us() + 5000u);
            continue;
        }
        if (pty_link_tx_space(&sim->port.link) >= tick_bytes) {
            /* Deterministic pattern: a reader can check every byte of every channel. */
            uint32_t tick = sim->bridge.tick;
            for (unsigned c = 0; c < o->flood_channels; c++) {
                for (unsigned i = 0; i < BRIDGE_SAMPLES_PER_TICK; i++) {
                    sim->samples[c][i] = (uint8_t)(tick * 7u + c * 13u + i);
                }
            }
            bridge_audio_tick(&sim->bridge, (const uint8_t(*)[BRIDGE_SAMPLES_PER_TICK])sim->samples);
        } else {
            wait_until(sim, monotonic_us() + 1000u);
        }
    }
    /* Count only what reached the pty: drain the ring before stopping the clock. */
    uint64_t drain_limit = monotonic_us() + FLOOD_DRAIN_TIMEOUT_MS * 1000u;
    while (!stop_signal && sim->port.link.ring_len > 0 && sim->port.link.peer_open &&
           monotonic_us() < drain_limit) {
        service_link(sim);
        wait_until(sim, monotonic_us() + 1000u);
    }
    double seconds = (double)(monotonic_us() - start_us) / 1e6;
    uint64_t frames = (uint32_t)(sim->bridge.stats.tx_frames - frames_before);
    uint64_t bytes = (uint32_t)(sim->bridge.stats.tx_bytes - bytes_before);
    if (sim->port.link.ring_len > 0) {
        fprintf(stderr, PROGRAM ": flood: %zu bytes not drained; counts include them\n",
                sim->port.link.ring_len);
    }
    event_line(true, "FLOOD frames=%" PRIu64 " bytes=%" PRIu64 " seconds=%.3f "
                     "channel_equivalents=%.1f",
               frames, bytes, seconds, seconds > 0 ? (double)bytes / seconds / 8000.0 : 0.0);
    print_summary(sim);
    return 0;
}

int main(int argc, char **argv) {
    struct options options;
    if (parse_options(argc, argv, &options) != 0) {
        return EXIT_USAGE;
    }
    quiet = options.quiet;
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* The app state is large (two 8 KB frame buffers, the event queue): keep it off the
     * stack. */
    struct sim *sim = calloc(1, sizeof *sim);
    if (sim == NULL || pty_link_init(&sim->port.link, options.link_path) != 0) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return EXIT_RUNTIME;
    }
    sim->port.options = &options;
    if (options.tx_buffer != 0) {
        pty_link_set_tx_buffer(&sim->port.link, options.tx_buffer);
    }
    int rc = options.flood_channels != 0 ? run_flood(sim, &options) : run_scenario(sim, &options);
    pty_link_unlink(&sim->port.link);
    pty_link_free(&sim->port.link);
    free(sim);
    return rc;
}
