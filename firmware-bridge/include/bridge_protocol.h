/*
 * bridge_protocol.h - Tallennin bridge wire protocol, version 1: constants, CRCs, payload
 * writers, frame encoder and the byte-at-a-time receiver.
 *
 * This is the pure codec layer: no I/O, no clock, no allocation, no MCU header. Both the
 * firmware app (src/bridge_app.c) and the tools (vector generator, fuzz target) use it.
 * PROTOCOL.md is the contract; every constant below is named there.
 *
 * Frame (all integers little-endian):
 *
 *   offset size field
 *   0      2    SYNC     0xA5 0x5A
 *   2      1    VERSION  1
 *   3      1    TYPE
 *   4      2    SEQ      per direction, +1 a new frame, a retransmission repeats it
 *   6      2    LENGTH   payload bytes, 0..BRIDGE_MAX_PAYLOAD
 *   8      2    HCRC     CRC-16/CCITT-FALSE over bytes 0..7
 *   10     N    PAYLOAD
 *   10+N   4    FCRC     CRC-32/ISO-HDLC over bytes 0..10+N-1
 *
 * Encoding: build the payload in place at frame + BRIDGE_HEADER_SIZE with a
 * struct bridge_writer, then call bridge_frame_finish() to write header and CRCs. That avoids
 * a copy of the (up to 7.7 KB) AUDIO payload on a small MCU. bridge_frame_encode() is the
 * convenience form for a payload that already exists elsewhere.
 *
 * Receiving: struct bridge_rx takes bytes one at a time (bridge_rx_feed() loops for you) and
 * calls back once per frame whose CRCs are good and whose VERSION is 1. On a header CRC error,
 * a LENGTH over the maximum or a frame CRC error it drops the candidate and hunts again from
 * the byte after the candidate's 0xA5, so corruption costs at most the frame it hits. Every
 * discarded byte and every dropped frame is counted in a named counter.
 */
#ifndef BRIDGE_PROTOCOL_H
#define BRIDGE_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits and constants (PROTOCOL.md "Limits") ---- */

#define BRIDGE_PROTOCOL_VERSION 1u
#define BRIDGE_SYNC_0 0xA5u
#define BRIDGE_SYNC_1 0x5Au
#define BRIDGE_HEADER_SIZE 10u
#define BRIDGE_TRAILER_SIZE 4u
#define BRIDGE_FRAME_OVERHEAD (BRIDGE_HEADER_SIZE + BRIDGE_TRAILER_SIZE)
#define BRIDGE_MAX_PAYLOAD 8192u
#define BRIDGE_MAX_FRAME (BRIDGE_MAX_PAYLOAD + BRIDGE_FRAME_OVERHEAD) /* 8206 */
#define BRIDGE_MAX_CHANNELS 128u
#define BRIDGE_ACTIVE_BITMAP_MAX ((BRIDGE_MAX_CHANNELS + 7u) / 8u)
#define BRIDGE_AUDIO_CHANNELS_PER_FRAME 48u
#define BRIDGE_SAMPLES_PER_TICK 160u /* 20 ms of 8 kHz A-law */
#define BRIDGE_TICK_MS 20u
#define BRIDGE_AUDIO_HEADER_SIZE 5u  /* u32 tick, u8 count */
#define BRIDGE_AUDIO_ENTRY_SIZE (1u + BRIDGE_SAMPLES_PER_TICK)
#define BRIDGE_MAX_STRING 32u
#define BRIDGE_MAX_UNACKED 16u
#define BRIDGE_RESEND_INTERVAL_MS 250u
#define BRIDGE_RESEND_ATTEMPTS 20u
#define BRIDGE_HEARTBEAT_INTERVAL_MS 1000u
#define BRIDGE_HOST_LINK_TIMEOUT_MS 2500u
#define BRIDGE_ALAW_SILENCE 0xD5u

/* CALL_START flags and CALL_END causes. */
#define BRIDGE_CALL_FLAG_RESUMED 0x01u
#define BRIDGE_CAUSE_NORMAL 0u
#define BRIDGE_CAUSE_ABNORMAL 1u

/* Largest CALL_START payload: channel, call_ref, tick, flags, three strings. Sizes the
 * app's retransmission slots. */
#define BRIDGE_CALL_START_MAX_PAYLOAD (1u + 4u + 4u + 1u + 3u * (1u + BRIDGE_MAX_STRING))
#define BRIDGE_SIGNAL_FRAME_MAX (BRIDGE_CALL_START_MAX_PAYLOAD + BRIDGE_FRAME_OVERHEAD)

enum bridge_frame_type {
    /* bridge -> host: 0x01..0x3F */
    BRIDGE_TYPE_BOOT = 0x01,
    BRIDGE_TYPE_HEARTBEAT = 0x02,
    BRIDGE_TYPE_CALL_START = 0x10,
    BRIDGE_TYPE_CALL_END = 0x11,
    BRIDGE_TYPE_AUDIO = 0x20,
    /* host -> bridge commands: 0x40..0x7F; a reply is the command's type | 0x80 */
    BRIDGE_TYPE_HELLO = 0x40,
    BRIDGE_TYPE_PING = 0x41,
    BRIDGE_TYPE_GET_STATUS = 0x42,
    BRIDGE_TYPE_ACK = 0x43,
};

#define BRIDGE_TYPE_REPLY_FLAG 0x80u
#define BRIDGE_TYPE_IS_COMMAND(t) ((t) >= 0x40u && (t) <= 0x7Fu)

/* Reply status, the third byte of every reply. */
enum bridge_reply_status {
    BRIDGE_STATUS_OK = 0,
    BRIDGE_STATUS_UNKNOWN_COMMAND = 1,
    BRIDGE_STATUS_BAD_LENGTH = 2,
    BRIDGE_STATUS_UNSUPPORTED_VERSION = 3,
};

/* Result of checking a payload against its type's layout (bridge_payload_check). */
enum bridge_payload_check {
    BRIDGE_PAYLOAD_OK = 0,
    BRIDGE_PAYLOAD_UNKNOWN_TYPE, /* no such type in the table */
    BRIDGE_PAYLOAD_MALFORMED,    /* known type, payload does not parse */
};

/* ---- CRCs ---- */

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, not reflected, no final XOR. */
uint16_t bridge_crc16(const uint8_t *data, size_t len);

/* CRC-32/ISO-HDLC (zlib): reflected poly 0xEDB88320, init and final XOR 0xFFFFFFFF.
 * bridge_crc32_update() continues a running CRC: pass the previous result as crc
 * (start with 0), i.e. bridge_crc32(a+b) == bridge_crc32_update(bridge_crc32(a), b). */
uint32_t bridge_crc32(const uint8_t *data, size_t len);
uint32_t bridge_crc32_update(uint32_t crc, const uint8_t *data, size_t len);

/* ---- Little-endian helpers ---- */

static inline uint16_t bridge_get_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t bridge_get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void bridge_put_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void bridge_put_u32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- Strings ----
 * On the wire: u8 length then that many ASCII bytes, at most BRIDGE_MAX_STRING. Numbers use
 * only "0123456789+*#"; the firmware version also allows letters, '.' and '-'. */

struct bridge_string {
    uint8_t len;                      /* 0..BRIDGE_MAX_STRING */
    char text[BRIDGE_MAX_STRING + 1]; /* NUL-terminated copy, for logging and tests */
};

/* True when text (NUL-terminated) is a valid phone-number string; allow_empty for caller. */
bool bridge_number_is_valid(const char *text, bool allow_empty);
/* True when text is a valid firmware version string (1..32 of [0-9A-Za-z.+*#-]). */
bool bridge_version_string_is_valid(const char *text);
/* Copy a NUL-terminated text into a bridge_string; false (and *out empty) when it is invalid
 * as a number (see bridge_number_is_valid). */
bool bridge_string_set_number(struct bridge_string *out, const char *text, bool allow_empty);

/* ---- Payload writer ----
 * Appends little-endian fields into a caller's buffer. Writing past cap sets overflow and
 * writes nothing more, so a sequence of puts needs one check at the end. */

struct bridge_writer {
    uint8_t *data;  /* start of the payload buffer */
    size_t cap;     /* its capacity in bytes */
    size_t len;     /* bytes written so far */
    bool overflow;  /* a put did not fit; len stops at the last whole field */
};

void bridge_writer_init(struct bridge_writer *w, uint8_t *data, size_t cap);
void bridge_writer_u8(struct bridge_writer *w, uint8_t v);
void bridge_writer_u16(struct bridge_writer *w, uint16_t v);
void bridge_writer_u32(struct bridge_writer *w, uint32_t v);
void bridge_writer_bytes(struct bridge_writer *w, const void *data, size_t len);
/* Writes u8 length + bytes; a text longer than BRIDGE_MAX_STRING sets overflow. */
void bridge_writer_str(struct bridge_writer *w, const char *text);

/* ---- Payload encoders (one per frame type; layouts in PROTOCOL.md) ----
 * Each writes the payload into w; check w->overflow afterwards. */

void bridge_payload_boot(struct bridge_writer *w, uint32_t boot_id, uint8_t channel_count,
                         const char *firmware_version);
/* active: bitmap of ceil(channel_count/8) bytes, bit c%8 of byte c/8 = channel c in a call */
void bridge_payload_heartbeat(struct bridge_writer *w, uint32_t uptime_ms, uint32_t tick,
                              uint8_t channel_count, const uint8_t *active);
void bridge_payload_call_start(struct bridge_writer *w, uint8_t channel, uint32_t call_ref,
                               uint32_t tick, uint8_t flags, const char *caller,
                               const char *called, const char *agent_extension);
void bridge_payload_call_end(struct bridge_writer *w, uint8_t channel, uint32_t call_ref,
                             uint32_t tick, uint8_t cause);
/* AUDIO is built incrementally: header, then one entry per channel, then the count is
 * patched by bridge_payload_audio_end(). */
void bridge_payload_audio_begin(struct bridge_writer *w, uint32_t tick);
void bridge_payload_audio_add(struct bridge_writer *w, uint8_t channel,
                              const uint8_t samples[BRIDGE_SAMPLES_PER_TICK]);
void bridge_payload_audio_end(struct bridge_writer *w, uint8_t count);
/* Replies: the common head, then type-specific fields only when status is OK. */
void bridge_payload_reply_head(struct bridge_writer *w, uint16_t request_seq, uint8_t status);

/* Counters reported in the GET_STATUS reply, in wire order. */
struct bridge_status_counters {
    uint32_t rx_frames;            /* good frames received from the host */
    uint32_t rx_header_crc_errors; /* receiver header_crc_errors */
    uint32_t rx_frame_crc_errors;  /* receiver frame_crc_errors */
    uint32_t tx_frames;            /* frames written to the link, retransmissions included */
    uint32_t tx_retransmits;       /* signalling retransmissions */
    uint32_t tx_dropped_events;    /* signalling given up (20 attempts) or not queued (full) */
};

/* ---- Payload check ----
 * Checks a payload against the layout of its type, for every type in the table (both
 * directions, replies included). Fields that depend on the peer's state (a channel below
 * this bridge's channel_count) are the consumer's business, not this check's. */
enum bridge_payload_check bridge_payload_check(uint8_t type, const uint8_t *payload, size_t len);

/* ---- Frame encoder ---- */

/* Writes header and FCRC around a payload already at frame + BRIDGE_HEADER_SIZE.
 * Returns the whole frame length, or 0 when payload_len > BRIDGE_MAX_PAYLOAD. */
size_t bridge_frame_finish(uint8_t *frame, uint8_t type, uint16_t seq, size_t payload_len);

/* Copies payload into out and frames it. Returns the frame length, or 0 when it does not fit
 * cap or the payload is over BRIDGE_MAX_PAYLOAD. payload may be NULL when len is 0. */
size_t bridge_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint16_t seq,
                           const uint8_t *payload, size_t payload_len);

/* ---- Receiver ---- */

/* One frame as delivered by the receiver. payload points into the receiver's buffer and is
 * valid only during the callback. */
struct bridge_frame {
    uint8_t type;
    uint16_t seq;
    const uint8_t *payload;
    uint16_t payload_len;
    /* Result of bridge_payload_check(). The receiver has already counted UNKNOWN_TYPE and
     * MALFORMED; it still delivers such frames because a bridge must answer a bad command
     * with a reply status. Any other consumer drops them. */
    enum bridge_payload_check check;
};

typedef void (*bridge_rx_handler)(void *context, const struct bridge_frame *frame);

struct bridge_rx {
    /* Candidate frame, then bytes still to be (re)examined after a resynchronisation:
     * buf[start .. start+examined) is the candidate so far, buf[start+examined ..
     * start+stored) is waiting. stored never exceeds BRIDGE_MAX_FRAME. */
    uint8_t buf[BRIDGE_MAX_FRAME];
    uint16_t start;
    uint16_t examined;
    uint16_t stored;
    uint16_t frame_len; /* whole length of the candidate once its header is good, else 0 */

    /* Duplicate and gap detection over delivered frames. */
    bool have_last;
    uint8_t last_type;
    uint16_t last_seq;

    /* Counters, never reset by the receiver itself (they wrap at 2^32). Every byte fed ends
     * up in exactly one of: a delivered or counted frame, the 0xA5 of a dropped candidate
     * (counted once by its error counter), or bytes_skipped. */
    uint32_t frames;              /* frames delivered (good CRCs, VERSION 1, not duplicate) */
    uint32_t bytes_skipped;       /* bytes discarded while hunting for 0xA5 0x5A */
    uint32_t header_crc_errors;   /* candidates whose HCRC was wrong */
    uint32_t too_long;            /* candidates whose LENGTH exceeded BRIDGE_MAX_PAYLOAD */
    uint32_t frame_crc_errors;    /* candidates whose FCRC was wrong */
    uint32_t unsupported_version; /* good frames with VERSION != 1, skipped whole */
    uint32_t unknown_type;        /* delivered frames whose TYPE is not in the table */
    uint32_t malformed_payload;   /* delivered frames whose payload does not parse */
    uint32_t duplicates;          /* exact repeats (same TYPE and SEQ as the frame before) */
    uint32_t seq_gaps;            /* sum of SEQ gaps between consecutive frames */
};

void bridge_rx_init(struct bridge_rx *rx);
/* Forget a partial frame and the previous SEQ (link closed); keep the counters. */
void bridge_rx_reset(struct bridge_rx *rx);
/* Feed bytes; handler is called for each frame completed by them. */
void bridge_rx_feed(struct bridge_rx *rx, const uint8_t *data, size_t len,
                    bridge_rx_handler handler, void *context);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_PROTOCOL_H */
