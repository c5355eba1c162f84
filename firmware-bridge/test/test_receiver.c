/*
 * Receiver: every error counter, resynchronisation after corruption, maximum size,
 * byte-at-a-time and chunked feeding (PROTOCOL.md "Receiving, and resynchronisation").
 */
#include <stdlib.h>
#include <string.h>

#include "bridge_protocol.h"
#include "test.h"

void test_rx_byte_at_a_time_and_chunked(void);
void test_rx_counts_skipped_bytes(void);
void test_rx_header_crc_error_resyncs(void);
void test_rx_too_long_dropped(void);
void test_rx_max_payload_accepted(void);
void test_rx_frame_crc_error_loses_only_that_frame(void);
void test_rx_corrupt_length_does_not_swallow_frames(void);
void test_rx_unsupported_version_skipped_whole(void);
void test_rx_unknown_type_counted(void);
void test_rx_malformed_payload_counted(void);
void test_rx_duplicates_and_seq_gaps(void);
void test_rx_every_byte_accounted_for(void);
void test_payload_check_rejects_bad_fields(void);

/* Frames delivered, in order. */
struct sink {
    int count;
    uint16_t seqs[256];
    uint8_t types[256];
    enum bridge_payload_check checks[256];
};

static void on_frame(void *context, const struct bridge_frame *frame) {
    struct sink *sink = context;
    if (sink->count < 256) {
        sink->seqs[sink->count] = frame->seq;
        sink->types[sink->count] = frame->type;
        sink->checks[sink->count] = frame->check;
    }
    sink->count++;
}

static struct bridge_rx *new_rx(void) {
    struct bridge_rx *rx = malloc(sizeof *rx);
    bridge_rx_init(rx);
    return rx;
}

/* A PING frame (valid payload) with a nonce derived from seq; returns its length (18). */
static size_t ping(uint8_t *out, uint16_t seq) {
    uint8_t nonce[4];
    bridge_put_u32(nonce, 0xA5A55A5Au ^ seq); /* sync-like bytes inside payloads on purpose */
    return bridge_frame_encode(out, BRIDGE_MAX_FRAME, BRIDGE_TYPE_PING, seq, nonce, 4);
}

/* A stream of `frames` PINGs with seq 0.. and `gap` garbage bytes (no 0xA5) between. */
static size_t build_stream(uint8_t *out, int frames, size_t gap, size_t *gap_total) {
    size_t len = 0;
    *gap_total = 0;
    for (int i = 0; i < frames; i++) {
        for (size_t g = 0; g < gap; g++) {
            out[len++] = (uint8_t)(0x11 + g % 7);
        }
        *gap_total += gap;
        len += ping(out + len, (uint16_t)i);
    }
    return len;
}

void test_rx_byte_at_a_time_and_chunked(void) {
    static uint8_t stream[4096];
    size_t gaps;
    size_t len = build_stream(stream, 20, 3, &gaps);
    for (size_t chunk = 1; chunk <= len; chunk = chunk < 8 ? chunk + 1 : chunk * 3) {
        struct bridge_rx *rx = new_rx();
        struct sink sink = {0};
        for (size_t off = 0; off < len; off += chunk) {
            size_t n = len - off < chunk ? len - off : chunk;
            bridge_rx_feed(rx, stream + off, n, on_frame, &sink);
        }
        CHECK_EQ_U(sink.count, 20);
        for (int i = 0; i < 20 && i < sink.count; i++) {
            CHECK_EQ_U(sink.seqs[i], i);
            CHECK(sink.checks[i] == BRIDGE_PAYLOAD_OK);
        }
        CHECK_EQ_U(rx->bytes_skipped, gaps);
        CHECK_EQ_U(rx->frames, 20);
        free(rx);
    }
}

void test_rx_counts_skipped_bytes(void) {
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    uint8_t junk[100];
    memset(junk, 0x42, sizeof junk);
    junk[50] = BRIDGE_SYNC_0; /* a lone 0xA5, not followed by 0x5A: hunting, not a candidate */
    bridge_rx_feed(rx, junk, sizeof junk, on_frame, &sink);
    CHECK_EQ_U(rx->bytes_skipped, 100);
    CHECK_EQ_U(rx->header_crc_errors, 0);
    CHECK_EQ_U(sink.count, 0);
    free(rx);
}

void test_rx_header_crc_error_resyncs(void) {
    uint8_t stream[64];
    size_t a = ping(stream, 1);
    size_t b = ping(stream + a, 2);
    stream[5] ^= 0x01; /* SEQ high byte of the first frame: its HCRC no longer matches */
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, a + b, on_frame, &sink);
    CHECK_EQ_U(rx->header_crc_errors, 1);
    CHECK_EQ_U(sink.count, 1);
    CHECK_EQ_U(sink.seqs[0], 2);
    /* The bad candidate's 0xA5 went to the error counter, the rest of it was hunted over. */
    CHECK_EQ_U(rx->bytes_skipped, a - 1);
    free(rx);
}

/* A header with a good HCRC claiming LENGTH = length. */
static void header(uint8_t *out, uint8_t version, uint8_t type, uint16_t seq, uint16_t length) {
    out[0] = BRIDGE_SYNC_0;
    out[1] = BRIDGE_SYNC_1;
    out[2] = version;
    out[3] = type;
    bridge_put_u16(out + 4, seq);
    bridge_put_u16(out + 6, length);
    bridge_put_u16(out + 8, bridge_crc16(out, 8));
}

void test_rx_too_long_dropped(void) {
    uint8_t stream[64];
    header(stream, 1, BRIDGE_TYPE_AUDIO, 7, BRIDGE_MAX_PAYLOAD + 1);
    size_t n = BRIDGE_HEADER_SIZE + ping(stream + BRIDGE_HEADER_SIZE, 8);
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, n, on_frame, &sink);
    CHECK_EQ_U(rx->too_long, 1);
    CHECK_EQ_U(sink.count, 1); /* the next frame is not waited for, it is found at once */
    CHECK_EQ_U(sink.seqs[0], 8);
    free(rx);
}

void test_rx_max_payload_accepted(void) {
    static uint8_t frame[BRIDGE_MAX_FRAME];
    static uint8_t payload[BRIDGE_MAX_PAYLOAD];
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)(i * 13u);
    }
    size_t n = bridge_frame_encode(frame, sizeof frame, 0x3F, 9, payload, sizeof payload);
    CHECK_EQ_U(n, BRIDGE_MAX_FRAME);
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    for (int round = 0; round < 3; round++) { /* several in a row: buffer compaction */
        bridge_put_u16(frame + 4, (uint16_t)(9 + round));
        bridge_frame_finish(frame, 0x3F, (uint16_t)(9 + round), sizeof payload);
        bridge_rx_feed(rx, frame, n, on_frame, &sink);
    }
    CHECK_EQ_U(sink.count, 3);
    CHECK_EQ_U(rx->unknown_type, 3); /* 0x3F is not in the table, but the frame is whole */
    CHECK_EQ_U(rx->too_long + rx->frame_crc_errors + rx->header_crc_errors, 0);
    free(rx);
}

void test_rx_frame_crc_error_loses_only_that_frame(void) {
    static uint8_t stream[4096];
    size_t gaps;
    size_t len = build_stream(stream, 10, 0, &gaps);
    stream[3 * 18 + 12] ^= 0x40; /* a payload byte of frame 3 */
    for (size_t chunk = 1; chunk <= 64; chunk *= 4) {
        struct bridge_rx *rx = new_rx();
        struct sink sink = {0};
        for (size_t off = 0; off < len; off += chunk) {
            bridge_rx_feed(rx, stream + off, len - off < chunk ? len - off : chunk, on_frame,
                           &sink);
        }
        CHECK_EQ_U(rx->frame_crc_errors, 1);
        CHECK_EQ_U(sink.count, 9);
        CHECK(sink.count == 9 && sink.seqs[2] == 2 && sink.seqs[3] == 4);
        free(rx);
    }
}

/* A header whose LENGTH passed its HCRC but is wrong (here: a truncated frame, the sender
 * died mid-frame) claims bytes that belong to the next frames. The receiver rescans them
 * once the claimed length has arrived and the FCRC fails: only the truncated frame is lost. */
void test_rx_corrupt_length_does_not_swallow_frames(void) {
    static uint8_t stream[4096];
    size_t len = 0;
    header(stream, 1, BRIDGE_TYPE_AUDIO, 50, 300); /* claims 314 bytes, only header sent */
    len += BRIDGE_HEADER_SIZE;
    for (int i = 0; i < 30; i++) {
        len += ping(stream + len, (uint16_t)(51 + i));
    }
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, len, on_frame, &sink);
    CHECK_EQ_U(rx->frame_crc_errors, 1);
    CHECK_EQ_U(sink.count, 30);
    for (int i = 0; i < 30 && i < sink.count; i++) {
        CHECK_EQ_U(sink.seqs[i], 51 + i);
    }
    free(rx);
}

void test_rx_unsupported_version_skipped_whole(void) {
    uint8_t stream[128];
    uint8_t payload[8] = {BRIDGE_SYNC_0, BRIDGE_SYNC_1, 1, 2, 3, 4, 5, 6};
    size_t a = bridge_frame_encode(stream, sizeof stream, BRIDGE_TYPE_PING, 1, payload, 8);
    stream[2] = 2; /* version 2, CRCs recomputed: a good frame of a newer protocol */
    bridge_frame_finish(stream, BRIDGE_TYPE_PING, 1, 8);
    stream[2] = 2;
    bridge_put_u16(stream + 8, bridge_crc16(stream, 8));
    bridge_put_u32(stream + a - 4, bridge_crc32(stream, a - 4));
    size_t b = ping(stream + a, 2);
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, a + b, on_frame, &sink);
    CHECK_EQ_U(rx->unsupported_version, 1);
    CHECK_EQ_U(rx->bytes_skipped, 0); /* skipped whole, not hunted through */
    CHECK_EQ_U(sink.count, 1);
    CHECK_EQ_U(sink.seqs[0], 2);
    free(rx);
}

void test_rx_unknown_type_counted(void) {
    uint8_t frame[32];
    size_t n = bridge_frame_encode(frame, sizeof frame, 0x30, 4, (const uint8_t *)"xy", 2);
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, frame, n, on_frame, &sink);
    CHECK_EQ_U(rx->unknown_type, 1);
    CHECK_EQ_U(sink.count, 1);
    CHECK(sink.checks[0] == BRIDGE_PAYLOAD_UNKNOWN_TYPE);
    free(rx);
}

void test_rx_malformed_payload_counted(void) {
    uint8_t frame[64];
    uint8_t payload[9] = {0}; /* CALL_END needs 10 bytes */
    size_t n = bridge_frame_encode(frame, sizeof frame, BRIDGE_TYPE_CALL_END, 4, payload, 9);
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, frame, n, on_frame, &sink);
    CHECK_EQ_U(rx->malformed_payload, 1);
    CHECK(sink.count == 1 && sink.checks[0] == BRIDGE_PAYLOAD_MALFORMED);
    free(rx);
}

void test_rx_duplicates_and_seq_gaps(void) {
    uint8_t stream[256];
    size_t len = 0;
    len += ping(stream + len, 65534);
    len += ping(stream + len, 65535);
    len += ping(stream + len, 65535); /* exact repeat: dropped */
    len += ping(stream + len, 0);     /* wrap, no gap */
    len += ping(stream + len, 3);     /* 1 and 2 lost */
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, len, on_frame, &sink);
    CHECK_EQ_U(sink.count, 4);
    CHECK_EQ_U(rx->duplicates, 1);
    CHECK_EQ_U(rx->seq_gaps, 2);
    free(rx);
}

/* Pseudo-random corruption of a long stream: every byte ends up counted exactly once, and
 * frames that were not touched are all delivered. */
void test_rx_every_byte_accounted_for(void) {
    enum { FRAMES = 400 };
    static uint8_t stream[FRAMES * 40];
    static bool damaged[FRAMES];
    size_t offsets[FRAMES + 1];
    size_t len = 0;
    uint32_t prng = 12345;
    for (int i = 0; i < FRAMES; i++) {
        offsets[i] = len;
        len += ping(stream + len, (uint16_t)i);
    }
    offsets[FRAMES] = len;
    for (int hit = 0; hit < 40; hit++) {
        prng = prng * 1103515245u + 12345u;
        size_t pos = (prng >> 8) % len;
        stream[pos] ^= (uint8_t)(1u << (prng % 8));
        for (int i = 0; i < FRAMES; i++) {
            if (pos >= offsets[i] && pos < offsets[i + 1]) damaged[i] = true;
        }
    }
    int intact = 0;
    for (int i = 0; i < FRAMES; i++) intact += !damaged[i];
    struct bridge_rx *rx = new_rx();
    struct sink sink = {0};
    bridge_rx_feed(rx, stream, len, on_frame, &sink);
    /* A damaged frame can only be lost, never resurrected wrong: delivered >= intact, and
     * anything more would need a CRC collision. */
    CHECK_EQ_U(sink.count, intact);
    uint64_t accounted = (uint64_t)rx->frames * 18u + rx->bytes_skipped + rx->header_crc_errors +
                         rx->frame_crc_errors + rx->too_long + rx->duplicates * 18u +
                         rx->stored;
    CHECK_EQ_U(accounted, len);
    free(rx);
}

void test_payload_check_rejects_bad_fields(void) {
    uint8_t p[64];
    struct bridge_writer w;
    /* CALL_START with a letter in the called number */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_start(&w, 1, 5, 0, 0, "", "0800A", "100");
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* call_ref 0 */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_start(&w, 1, 0, 0, 0, "", "0800", "100");
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* unknown flag bit */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_start(&w, 1, 5, 0, 2, "", "0800", "100");
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* trailing byte */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_start(&w, 1, 5, 0, 0, "", "0800", "100");
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len) == BRIDGE_PAYLOAD_OK);
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len + 1) == BRIDGE_PAYLOAD_MALFORMED);
    /* empty agent extension is not allowed, empty caller is */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_start(&w, 1, 5, 0, 0, "", "0800", "");
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_START, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* CALL_END cause 2 */
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_call_end(&w, 1, 5, 9, 2);
    CHECK(bridge_payload_check(BRIDGE_TYPE_CALL_END, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* HEARTBEAT with 0 channels, BOOT with 129 */
    uint8_t hb[9] = {0};
    CHECK(bridge_payload_check(BRIDGE_TYPE_HEARTBEAT, hb, 9) == BRIDGE_PAYLOAD_MALFORMED);
    bridge_writer_init(&w, p, sizeof p);
    bridge_payload_boot(&w, 1, 129, "1.0");
    CHECK(bridge_payload_check(BRIDGE_TYPE_BOOT, p, w.len) == BRIDGE_PAYLOAD_MALFORMED);
    /* AUDIO: count 0, count 49, length not matching count */
    uint8_t audio[5] = {0};
    CHECK(bridge_payload_check(BRIDGE_TYPE_AUDIO, audio, 5) == BRIDGE_PAYLOAD_MALFORMED);
    audio[4] = 1;
    CHECK(bridge_payload_check(BRIDGE_TYPE_AUDIO, audio, 5) == BRIDGE_PAYLOAD_MALFORMED);
    /* Replies: non-zero status with a body, OK reply of too short a body */
    uint8_t reply[7] = {1, 0, 1, 0, 0, 0, 0};
    CHECK(bridge_payload_check(0xC1, reply, 3) == BRIDGE_PAYLOAD_OK);
    CHECK(bridge_payload_check(0xC1, reply, 7) == BRIDGE_PAYLOAD_MALFORMED);
    reply[2] = 0;
    CHECK(bridge_payload_check(0xC1, reply, 7) == BRIDGE_PAYLOAD_OK);
    CHECK(bridge_payload_check(0xC1, reply, 6) == BRIDGE_PAYLOAD_MALFORMED);
    reply[2] = 4; /* no such status */
    CHECK(bridge_payload_check(0xC1, reply, 3) == BRIDGE_PAYLOAD_MALFORMED);
    /* An UNKNOWN_COMMAND reply to 0x50 is fine; any reply of a type outside 0xC0..0xFF is not */
    reply[2] = 1;
    CHECK(bridge_payload_check(0xD0, reply, 3) == BRIDGE_PAYLOAD_OK);
    CHECK(bridge_payload_check(0x90, reply, 3) == BRIDGE_PAYLOAD_UNKNOWN_TYPE);
    CHECK(bridge_payload_check(0x50, reply, 3) == BRIDGE_PAYLOAD_UNKNOWN_TYPE);
}
