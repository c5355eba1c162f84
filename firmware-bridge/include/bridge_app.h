/*
 * bridge_app.h - the Tallennin bridge application: call signalling, audio framing and host
 * commands over the wire protocol of bridge_protocol.h.
 *
 * What it does
 * ------------
 * The bridge sits between a telephony interface card and the Tallennin service. The card
 * tells it when a call starts and ends on one of its channels and gives it 160 A-law samples
 * per channel every 20 ms. The bridge turns that into frames for the host:
 *
 *   - BOOT when it starts and whenever the host (re)opens the link;
 *   - CALL_START / CALL_END, reliably: each is kept until the host ACKs its SEQ, resent with
 *     the same SEQ and bytes every 250 ms, and given up after 20 attempts (counted);
 *   - AUDIO, one frame per 20 ms tick carrying every active channel (several frames with the
 *     same tick above 48 channels), real time and never resent;
 *   - HEARTBEAT every 1000 ms with the bitmap of active channels;
 *   - replies to the host's HELLO, PING and GET_STATUS; after a HELLO it sends CALL_START with
 *     flag RESUMED for every call in progress, since the host may have restarted.
 *
 * How to use it
 * -------------
 * All state lives in one `struct bridge`, which the port allocates (statically on the MCU):
 * no malloc, no globals, no MCU header. The port implements hal.h and runs one loop:
 *
 *   static struct bridge bridge;
 *   struct bridge_config config = { .channel_count = 32, .firmware_version = "1.0.0" };
 *   bridge_init(&bridge, &my_port, &config);
 *   for (;;) {
 *       n = read host bytes;           bridge_rx_bytes(&bridge, buf, n);
 *       for each queued card event:    bridge_call_start(...) or bridge_call_end(...);
 *       if a 20 ms tick is complete:   bridge_audio_tick(&bridge, samples);
 *       bridge_poll(&bridge);          (heartbeat, resends, link open/close)
 *   }
 *
 * Nothing here is called from an interrupt (see hal.h). Every function returns quickly: the
 * app never waits for the link. When the link has no room (hal_link_tx_space), an AUDIO
 * frame is dropped and counted, and signalling waits in the queue for the next call.
 *
 * Ordering within a tick: card signalling of tick T is applied before bridge_audio_tick()
 * frames the audio of tick T. A CALL_START carries tick T and its channel is in the AUDIO of
 * tick T; a CALL_END carries tick T and the channel's last AUDIO was tick T-1.
 *
 * Signalling queue
 * ----------------
 * A card event becomes a queued event (struct bridge_event, with its strings) and is framed
 * (given a SEQ) only when one of the 16 unacknowledged slots is free and the link is open.
 * So a burst (128 calls resumed after a HELLO) waits in order instead of being lost; only an
 * overflow of the event queue itself loses an event, counted in tx_dropped_events. Resend
 * attempts are counted only while the link is open, so a host that is away for a minute does
 * not make the bridge give up on calls it will want to hear about.
 */
#ifndef BRIDGE_APP_H
#define BRIDGE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bridge_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Queued signalling events waiting for a free unacknowledged slot. Two per channel covers a
 * RESUMED CALL_START for every channel plus an end and a new start on each. */
#define BRIDGE_EVENT_QUEUE_LEN (2u * BRIDGE_MAX_CHANNELS)

/* Errors of the card-facing API (bridge_call_start/end). Bad card input is refused, counted
 * by the caller if it likes, and never corrupts state. */
enum bridge_error {
    BRIDGE_OK = 0,
    BRIDGE_E_CHANNEL = -1,   /* channel >= channel_count */
    BRIDGE_E_STATE = -2,     /* start on a busy channel, or end on an idle one */
    BRIDGE_E_STRING = -3,    /* a number string is too long or has a forbidden character */
    BRIDGE_E_QUEUE_FULL = -4 /* event queue full: the call state changed, the frame is lost */
};

struct bridge_config {
    uint8_t channel_count;        /* 1..BRIDGE_MAX_CHANNELS: channels of the card */
    const char *firmware_version; /* reported in BOOT and the HELLO reply; must outlive bridge */
};

/* The state of one card channel. */
struct bridge_channel {
    bool active;                        /* a call is in progress */
    uint32_t call_ref;                  /* the call's reference, unique per boot, never 0 */
    uint32_t start_tick;                /* tick of its CALL_START, repeated when RESUMED */
    struct bridge_string caller;        /* empty = withheld */
    struct bridge_string called;        /* the service number that was dialled */
    struct bridge_string agent_extension;
};

/* A CALL_START or CALL_END not yet framed. Carries copies of everything the frame needs,
 * because the channel may already hold the next call when the event gets its turn. */
struct bridge_event {
    uint8_t type;     /* BRIDGE_TYPE_CALL_START or BRIDGE_TYPE_CALL_END */
    uint8_t channel;
    uint8_t flags;    /* CALL_START: BRIDGE_CALL_FLAG_*; CALL_END: the cause */
    uint32_t call_ref;
    uint32_t tick;
    struct bridge_string caller;  /* CALL_START only */
    struct bridge_string called;
    struct bridge_string agent_extension;
};

/* A framed signalling frame waiting for its ACK. The exact bytes are kept so that a resend
 * is identical (same SEQ, same CRCs). */
struct bridge_unacked {
    bool in_use;
    uint16_t seq;
    uint8_t attempts;      /* sends so far, 1..BRIDGE_RESEND_ATTEMPTS */
    uint32_t last_sent_ms; /* hal_millis() of the last send */
    uint16_t frame_len;
    uint8_t frame[BRIDGE_SIGNAL_FRAME_MAX];
};

/* Counters beyond the receiver's; all wrap at 2^32. */
struct bridge_stats {
    uint32_t tx_frames;            /* frames handed to hal_link_write, resends included */
    uint32_t tx_bytes;             /* their bytes */
    uint32_t tx_retransmits;       /* signalling resends */
    uint32_t tx_dropped_events;    /* signalling given up after 20 attempts or queue overflow */
    uint32_t audio_frames_lost;    /* AUDIO frames not sent: link closed or no room */
    uint32_t acks_unmatched;       /* ACKs whose SEQ was not waiting (late repeat, or bogus) */
    uint32_t hellos;               /* HELLO commands received */
    uint32_t link_opens;           /* times the host opened the link */
};

struct bridge {
    void *port;                    /* passed to every hal_* call */
    uint8_t channel_count;
    const char *firmware_version;
    uint32_t boot_id;              /* from hal_random_u32() at init */
    uint32_t boot_ms;              /* hal_millis() at init; uptime is relative to it */

    uint32_t tick;                 /* the tick whose audio comes next (0 at boot) */
    uint32_t next_call_ref;        /* next call_ref to assign; skips 0 on wrap */
    uint16_t tx_seq;               /* SEQ of the next new frame */

    bool link_open;                /* hal_link_is_open() at the last check */
    bool boot_pending;             /* BOOT to send (link opened, no room yet) */
    uint32_t last_heartbeat_ms;

    struct bridge_channel channels[BRIDGE_MAX_CHANNELS];

    struct bridge_event events[BRIDGE_EVENT_QUEUE_LEN]; /* ring, oldest at event_head */
    uint16_t event_head;
    uint16_t event_count;

    struct bridge_unacked unacked[BRIDGE_MAX_UNACKED];

    struct bridge_rx rx;           /* commands from the host, with its error counters */
    struct bridge_stats stats;

    uint8_t tx_frame[BRIDGE_MAX_FRAME]; /* scratch for building one frame */
};

/* Initialise. Reads the boot id (hal_random_u32) and the clock. config->channel_count must be
 * 1..BRIDGE_MAX_CHANNELS and firmware_version valid (bridge_version_string_is_valid):
 * returns false otherwise (a port bug, but checked because it is cheap). */
bool bridge_init(struct bridge *self, void *port, const struct bridge_config *config);

/* Bytes received from the host, any amount, any split. */
void bridge_rx_bytes(struct bridge *self, const uint8_t *data, size_t len);

/* The card signalled a call start on channel. caller may be "" (withheld); called and
 * agent_extension must be non-empty numbers. On success *call_ref_out (may be NULL) gets the
 * new call's reference. */
enum bridge_error bridge_call_start(struct bridge *self, uint8_t channel, const char *caller,
                                    const char *called, const char *agent_extension,
                                    uint32_t *call_ref_out);

/* The card signalled the end of the call on channel; cause BRIDGE_CAUSE_*. On success
 * *call_ref_out (may be NULL) gets the ended call's reference. */
enum bridge_error bridge_call_end(struct bridge *self, uint8_t channel, uint8_t cause,
                                  uint32_t *call_ref_out);

/* One 20 ms tick of audio is complete: samples[c] holds channel c's 160 samples (only
 * channel_count rows are read). Frames the active channels, then advances the tick. */
void bridge_audio_tick(struct bridge *self, const uint8_t samples[][BRIDGE_SAMPLES_PER_TICK]);

/* Timers and link state: call often (every loop iteration; at least every few ms). */
void bridge_poll(struct bridge *self);

/* True when no signalling is queued or waiting for an ACK. */
bool bridge_signalling_idle(const struct bridge *self);

/* Fill the active-channel bitmap (ceil(channel_count/8) bytes). */
void bridge_active_bitmap(const struct bridge *self, uint8_t out[BRIDGE_ACTIVE_BITMAP_MAX]);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_APP_H */
