/*
 * bridge_protocol.c - CRCs, payload writers and checks, frame encoder, receiver.
 * See include/bridge_protocol.h for the API and PROTOCOL.md for the contract.
 */
#include "bridge_protocol.h"

#include <string.h>

#include "bridge_verify.h"

/* ---- CRCs ----
 * Bitwise, table-free: 8 KB of audio a tick at 48 channels costs well under a millisecond on
 * a Cortex-M4 at 168 MHz with a 256-entry table, but the table-free form keeps flash small
 * and is fast enough for the host port's flood benchmark. The CRC-32 uses a 16-entry
 * (nibble) table as a middle way: 64 bytes of flash, two lookups a byte. */

uint16_t bridge_crc16(const uint8_t *data, size_t len) {
    uint16_t crc = 0xFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int bit = 0; bit < 8; bit++) {
            uint16_t shifted = (uint16_t)(crc << 1);
            crc = (crc & 0x8000u) != 0 ? (uint16_t)(shifted ^ 0x1021u) : shifted;
        }
    }
    return crc;
}

static const uint32_t crc32_nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t bridge_crc32_update(uint32_t crc, const uint8_t *data, size_t len) {
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        crc = (crc >> 4) ^ crc32_nibble_table[crc & 0x0Fu];
        crc = (crc >> 4) ^ crc32_nibble_table[crc & 0x0Fu];
    }
    return ~crc;
}

uint32_t bridge_crc32(const uint8_t *data, size_t len) {
    return bridge_crc32_update(0, data, len);
}

/* ---- Strings ---- */

static bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#';
}

bool bridge_number_is_valid(const char *text, bool allow_empty) {
    VERIFY(text != NULL, false);
    size_t len = 0;
    for (; text[len] != '\0'; len++) {
        VERIFY(len < BRIDGE_MAX_STRING, false);
        VERIFY(is_number_char(text[len]), false);
    }
    return allow_empty || len > 0;
}

static bool is_version_char(char c) {
    return is_number_char(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-';
}

bool bridge_version_string_is_valid(const char *text) {
    VERIFY(text != NULL, false);
    size_t len = 0;
    for (; text[len] != '\0'; len++) {
        VERIFY(len < BRIDGE_MAX_STRING, false);
        VERIFY(is_version_char(text[len]), false);
    }
    return len > 0;
}

bool bridge_string_set_number(struct bridge_string *out, const char *text, bool allow_empty) {
    out->len = 0;
    out->text[0] = '\0';
    VERIFY(bridge_number_is_valid(text, allow_empty), false);
    size_t len = strlen(text);
    memcpy(out->text, text, len + 1);
    out->len = (uint8_t)len;
    return true;
}

/* ---- Writer ---- */

void bridge_writer_init(struct bridge_writer *w, uint8_t *data, size_t cap) {
    w->data = data;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

static bool writer_reserve(struct bridge_writer *w, size_t n) {
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = true;
        return false;
    }
    return true;
}

void bridge_writer_u8(struct bridge_writer *w, uint8_t v) {
    if (writer_reserve(w, 1)) {
        w->data[w->len++] = v;
    }
}

void bridge_writer_u16(struct bridge_writer *w, uint16_t v) {
    if (writer_reserve(w, 2)) {
        bridge_put_u16(w->data + w->len, v);
        w->len += 2;
    }
}

void bridge_writer_u32(struct bridge_writer *w, uint32_t v) {
    if (writer_reserve(w, 4)) {
        bridge_put_u32(w->data + w->len, v);
        w->len += 4;
    }
}

void bridge_writer_bytes(struct bridge_writer *w, const void *data, size_t len) {
    if (len > 0 && writer_reserve(w, len)) {
        memcpy(w->data + w->len, data, len);
        w->len += len;
    }
}

void bridge_writer_str(struct bridge_writer *w, const char *text) {
    size_t len = strlen(text);
    if (len > BRIDGE_MAX_STRING) {
        w->overflow = true;
        return;
    }
    if (writer_reserve(w, 1 + len)) {
        bridge_writer_u8(w, (uint8_t)len);
        bridge_writer_bytes(w, text, len);
    }
}

/* ---- Payload encoders ---- */

void bridge_payload_boot(struct bridge_writer *w, uint32_t boot_id, uint8_t channel_count,
                         const char *firmware_version) {
    bridge_writer_u32(w, boot_id);
    bridge_writer_u8(w, BRIDGE_PROTOCOL_VERSION);
    bridge_writer_u8(w, channel_count);
    bridge_writer_str(w, firmware_version);
}

void bridge_payload_heartbeat(struct bridge_writer *w, uint32_t uptime_ms, uint32_t tick,
                              uint8_t channel_count, const uint8_t *active) {
    bridge_writer_u32(w, uptime_ms);
    bridge_writer_u32(w, tick);
    bridge_writer_u8(w, channel_count);
    bridge_writer_bytes(w, active, ((size_t)channel_count + 7u) / 8u);
}

void bridge_payload_call_start(struct bridge_writer *w, uint8_t channel, uint32_t call_ref,
                               uint32_t tick, uint8_t flags, const char *caller,
                               const char *called, const char *agent_extension) {
    bridge_writer_u8(w, channel);
    bridge_writer_u32(w, call_ref);
    bridge_writer_u32(w, tick);
    bridge_writer_u8(w, flags);
    bridge_writer_str(w, caller);
    bridge_writer_str(w, called);
    bridge_writer_str(w, agent_extension);
}

void bridge_payload_call_end(struct bridge_writer *w, uint8_t channel, uint32_t call_ref,
                             uint32_t tick, uint8_t cause) {
    bridge_writer_u8(w, channel);
    bridge_writer_u32(w, call_ref);
    bridge_writer_u32(w, tick);
    bridge_writer_u8(w, cause);
}

void bridge_payload_audio_begin(struct bridge_writer *w, uint32_t tick) {
    bridge_writer_u32(w, tick);
    bridge_writer_u8(w, 0); /* count, patched by bridge_payload_audio_end() */
}

void bridge_payload_audio_add(struct bridge_writer *w, uint8_t channel,
                              const uint8_t samples[BRIDGE_SAMPLES_PER_TICK]) {
    bridge_writer_u8(w, channel);
    bridge_writer_bytes(w, samples, BRIDGE_SAMPLES_PER_TICK);
}

void bridge_payload_audio_end(struct bridge_writer *w, uint8_t count) {
    if (w->len >= BRIDGE_AUDIO_HEADER_SIZE) {
        w->data[4] = count;
    }
}

void bridge_payload_reply_head(struct bridge_writer *w, uint16_t request_seq, uint8_t status) {
    bridge_writer_u16(w, request_seq);
    bridge_writer_u8(w, status);
}

/* ---- Payload check ---- */

/* A cursor over a payload being checked. */
struct reader {
    const uint8_t *p;
    size_t left;
};

static bool read_skip(struct reader *r, size_t n) {
    VERIFY(r->left >= n, false);
    r->p += n;
    r->left -= n;
    return true;
}

static bool read_u8(struct reader *r, uint8_t *v) {
    VERIFY(r->left >= 1, false);
    *v = r->p[0];
    return read_skip(r, 1);
}

static bool read_u32(struct reader *r, uint32_t *v) {
    VERIFY(r->left >= 4, false);
    *v = bridge_get_u32(r->p);
    return read_skip(r, 4);
}

enum string_kind { STRING_NUMBER, STRING_NUMBER_OR_EMPTY, STRING_VERSION };

static bool read_str(struct reader *r, enum string_kind kind) {
    uint8_t len;
    VERIFY(read_u8(r, &len), false);
    VERIFY(len <= BRIDGE_MAX_STRING && r->left >= len, false);
    VERIFY(len > 0 || kind == STRING_NUMBER_OR_EMPTY, false);
    for (size_t i = 0; i < len; i++) {
        char c = (char)r->p[i];
        VERIFY(kind == STRING_VERSION ? is_version_char(c) : is_number_char(c), false);
    }
    return read_skip(r, len);
}

static bool read_channel_count_and_bitmap(struct reader *r) {
    uint8_t count;
    VERIFY(read_u8(r, &count), false);
    VERIFY(count >= 1 && count <= BRIDGE_MAX_CHANNELS, false);
    return read_skip(r, ((size_t)count + 7u) / 8u);
}

static bool check_boot(struct reader *r) {
    uint32_t boot_id;
    uint8_t version, channels;
    VERIFY(read_u32(r, &boot_id) && read_u8(r, &version) && read_u8(r, &channels), false);
    VERIFY(version == BRIDGE_PROTOCOL_VERSION, false);
    VERIFY(channels >= 1 && channels <= BRIDGE_MAX_CHANNELS, false);
    return read_str(r, STRING_VERSION);
}

static bool check_heartbeat(struct reader *r) {
    VERIFY(read_skip(r, 8), false);
    return read_channel_count_and_bitmap(r);
}

static bool check_call_start(struct reader *r) {
    uint8_t channel, flags;
    uint32_t call_ref, tick;
    VERIFY(read_u8(r, &channel) && read_u32(r, &call_ref) && read_u32(r, &tick) &&
               read_u8(r, &flags),
           false);
    VERIFY(channel < BRIDGE_MAX_CHANNELS && call_ref != 0, false);
    VERIFY((flags & (uint8_t)~BRIDGE_CALL_FLAG_RESUMED) == 0, false);
    return read_str(r, STRING_NUMBER_OR_EMPTY) && read_str(r, STRING_NUMBER) &&
           read_str(r, STRING_NUMBER);
}

static bool check_call_end(struct reader *r) {
    uint8_t channel, cause;
    uint32_t call_ref, tick;
    VERIFY(read_u8(r, &channel) && read_u32(r, &call_ref) && read_u32(r, &tick) &&
               read_u8(r, &cause),
           false);
    return channel < BRIDGE_MAX_CHANNELS && call_ref != 0 && cause <= BRIDGE_CAUSE_ABNORMAL;
}

static bool check_audio(struct reader *r) {
    uint32_t tick;
    uint8_t count;
    VERIFY(read_u32(r, &tick) && read_u8(r, &count), false);
    VERIFY(count >= 1 && count <= BRIDGE_AUDIO_CHANNELS_PER_FRAME, false);
    VERIFY(r->left == (size_t)count * BRIDGE_AUDIO_ENTRY_SIZE, false);
    for (uint8_t i = 0; i < count; i++) {
        uint8_t channel;
        VERIFY(read_u8(r, &channel) && channel < BRIDGE_MAX_CHANNELS, false);
        VERIFY(read_skip(r, BRIDGE_SAMPLES_PER_TICK), false);
    }
    return true;
}

/* Replies: head, then the OK body of the command's type. */
static bool check_reply(struct reader *r, uint8_t command) {
    uint8_t status;
    VERIFY(read_skip(r, 2) && read_u8(r, &status), false);
    VERIFY(status <= BRIDGE_STATUS_UNSUPPORTED_VERSION, false);
    if (status != BRIDGE_STATUS_OK) {
        return true; /* nothing more; the caller checks that nothing is left */
    }
    switch (command) {
    case BRIDGE_TYPE_HELLO: {
        uint32_t boot_id;
        uint8_t version, channels;
        VERIFY(read_u32(r, &boot_id) && read_u8(r, &version) && read_u8(r, &channels), false);
        VERIFY(channels >= 1 && channels <= BRIDGE_MAX_CHANNELS, false);
        return read_str(r, STRING_VERSION);
    }
    case BRIDGE_TYPE_PING:
        return read_skip(r, 4);
    case BRIDGE_TYPE_GET_STATUS:
        VERIFY(read_skip(r, 8), false);
        VERIFY(read_channel_count_and_bitmap(r), false);
        return read_skip(r, 6u * 4u);
    default:
        /* An UNKNOWN_COMMAND reply to any type in 0x40..0x7F is well-formed with a non-zero
         * status (handled above); with status OK it cannot exist. */
        return false;
    }
}

enum bridge_payload_check bridge_payload_check(uint8_t type, const uint8_t *payload, size_t len) {
    struct reader r = {payload, len};
    bool ok;
    switch (type) {
    case BRIDGE_TYPE_BOOT: ok = check_boot(&r); break;
    case BRIDGE_TYPE_HEARTBEAT: ok = check_heartbeat(&r); break;
    case BRIDGE_TYPE_CALL_START: ok = check_call_start(&r); break;
    case BRIDGE_TYPE_CALL_END: ok = check_call_end(&r); break;
    case BRIDGE_TYPE_AUDIO: ok = check_audio(&r); break;
    case BRIDGE_TYPE_HELLO: ok = read_skip(&r, 1); break;
    case BRIDGE_TYPE_PING: ok = read_skip(&r, 4); break;
    case BRIDGE_TYPE_GET_STATUS: ok = true; break;
    case BRIDGE_TYPE_ACK: ok = read_skip(&r, 2); break;
    default:
        if ((type & BRIDGE_TYPE_REPLY_FLAG) != 0 &&
            BRIDGE_TYPE_IS_COMMAND(type & (uint8_t)~BRIDGE_TYPE_REPLY_FLAG)) {
            ok = check_reply(&r, (uint8_t)(type & ~BRIDGE_TYPE_REPLY_FLAG));
            break;
        }
        return BRIDGE_PAYLOAD_UNKNOWN_TYPE;
    }
    /* Every layout is exact: trailing bytes are as malformed as missing ones. */
    return (ok && r.left == 0) ? BRIDGE_PAYLOAD_OK : BRIDGE_PAYLOAD_MALFORMED;
}

/* ---- Frame encoder ---- */

size_t bridge_frame_finish(uint8_t *frame, uint8_t type, uint16_t seq, size_t payload_len) {
    VERIFY(payload_len <= BRIDGE_MAX_PAYLOAD, 0);
    frame[0] = BRIDGE_SYNC_0;
    frame[1] = BRIDGE_SYNC_1;
    frame[2] = BRIDGE_PROTOCOL_VERSION;
    frame[3] = type;
    bridge_put_u16(frame + 4, seq);
    bridge_put_u16(frame + 6, (uint16_t)payload_len);
    bridge_put_u16(frame + 8, bridge_crc16(frame, 8));
    size_t body = BRIDGE_HEADER_SIZE + payload_len;
    bridge_put_u32(frame + body, bridge_crc32(frame, body));
    return body + BRIDGE_TRAILER_SIZE;
}

size_t bridge_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint16_t seq,
                           const uint8_t *payload, size_t payload_len) {
    VERIFY(payload_len <= BRIDGE_MAX_PAYLOAD, 0);
    VERIFY(cap >= payload_len + BRIDGE_FRAME_OVERHEAD, 0);
    if (payload_len > 0) {
        memmove(out + BRIDGE_HEADER_SIZE, payload, payload_len);
    }
    return bridge_frame_finish(out, type, seq, payload_len);
}

/* ---- Receiver ----
 * The candidate always starts at buf[start]. "Resume hunting at the byte after the
 * candidate's 0xA5" is then just start++ with the candidate's other bytes left in place to
 * be examined again: no byte that might begin the next good frame is ever thrown away. */

void bridge_rx_init(struct bridge_rx *rx) {
    memset(rx, 0, sizeof *rx);
}

void bridge_rx_reset(struct bridge_rx *rx) {
    rx->start = 0;
    rx->examined = 0;
    rx->stored = 0;
    rx->frame_len = 0;
    rx->have_last = false;
}

/* Drop the first byte of the candidate and examine the rest again. */
static void rx_resync(struct bridge_rx *rx) {
    rx->start++;
    rx->stored--;
    rx->examined = 0;
    rx->frame_len = 0;
}

/* Remove a whole frame (delivered or counted) from the buffer. */
static void rx_consume_frame(struct bridge_rx *rx) {
    rx->start = (uint16_t)(rx->start + rx->frame_len);
    rx->stored = (uint16_t)(rx->stored - rx->frame_len);
    rx->examined = 0;
    rx->frame_len = 0;
}

static void rx_complete_frame(struct bridge_rx *rx, const uint8_t *frame,
                              bridge_rx_handler handler, void *context) {
    uint8_t type = frame[3];
    uint16_t seq = bridge_get_u16(frame + 4);
    uint16_t payload_len = bridge_get_u16(frame + 6);

    if (frame[2] != BRIDGE_PROTOCOL_VERSION) {
        rx->unsupported_version++;
        return;
    }
    if (rx->have_last) {
        if (seq == rx->last_seq && type == rx->last_type) {
            rx->duplicates++;
            return;
        }
        rx->seq_gaps += (uint16_t)(seq - rx->last_seq - 1u);
    }
    rx->have_last = true;
    rx->last_seq = seq;
    rx->last_type = type;

    struct bridge_frame out = {
        .type = type,
        .seq = seq,
        .payload = frame + BRIDGE_HEADER_SIZE,
        .payload_len = payload_len,
        .check = bridge_payload_check(type, frame + BRIDGE_HEADER_SIZE, payload_len),
    };
    if (out.check == BRIDGE_PAYLOAD_UNKNOWN_TYPE) {
        rx->unknown_type++;
    } else if (out.check == BRIDGE_PAYLOAD_MALFORMED) {
        rx->malformed_payload++;
    }
    rx->frames++;
    if (handler != NULL) {
        handler(context, &out);
    }
}

/* Examine every stored byte not yet examined. */
static void rx_process(struct bridge_rx *rx, bridge_rx_handler handler, void *context) {
    while (rx->examined < rx->stored) {
        const uint8_t *c = rx->buf + rx->start;
        rx->examined++;
        if (rx->examined == 1) {
            if (c[0] != BRIDGE_SYNC_0) {
                rx->bytes_skipped++;
                rx->start++;
                rx->stored--;
                rx->examined = 0;
            }
        } else if (rx->examined == 2) {
            if (c[1] != BRIDGE_SYNC_1) {
                rx->bytes_skipped++; /* a lone 0xA5 is hunting, not a candidate */
                rx_resync(rx);
            }
        } else if (rx->examined == BRIDGE_HEADER_SIZE) {
            uint16_t length = bridge_get_u16(c + 6);
            if (bridge_crc16(c, 8) != bridge_get_u16(c + 8)) {
                rx->header_crc_errors++;
                rx_resync(rx);
            } else if (length > BRIDGE_MAX_PAYLOAD) {
                rx->too_long++;
                rx_resync(rx);
            } else {
                rx->frame_len = (uint16_t)(length + BRIDGE_FRAME_OVERHEAD);
            }
        } else if (rx->frame_len != 0 && rx->examined == rx->frame_len) {
            size_t body = rx->frame_len - BRIDGE_TRAILER_SIZE;
            if (bridge_crc32(c, body) != bridge_get_u32(c + body)) {
                rx->frame_crc_errors++;
                rx_resync(rx);
            } else {
                rx_complete_frame(rx, c, handler, context);
                rx_consume_frame(rx);
            }
        }
    }
    if (rx->stored == 0) {
        rx->start = 0; /* cheap compaction in the common case */
    }
}

void bridge_rx_feed(struct bridge_rx *rx, const uint8_t *data, size_t len,
                    bridge_rx_handler handler, void *context) {
    for (size_t i = 0; i < len; i++) {
        /* Invariant: after rx_process, the stored bytes are a candidate shorter than its
         * frame, so there is always room for one more byte once compacted. */
        ASSERT(rx->stored < BRIDGE_MAX_FRAME);
        if ((size_t)rx->start + rx->stored == BRIDGE_MAX_FRAME) {
            memmove(rx->buf, rx->buf + rx->start, rx->stored);
            rx->start = 0;
        }
        rx->buf[rx->start + rx->stored] = data[i];
        rx->stored++;
        rx_process(rx, handler, context);
    }
}
