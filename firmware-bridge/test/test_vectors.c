/*
 * Golden vectors (test/vectors/golden-frames.txt, format in PROTOCOL.md): the encoder must
 * produce each frame from its payload, and the receiver must give back the payload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_protocol.h"
#include "test.h"

void test_vectors_encode_and_decode(void);
void test_vectors_cover_every_type(void);
void test_encoder_rejects_oversized_payload(void);

struct vector {
    char name[64];
    uint8_t type;
    uint16_t seq;
    uint8_t payload[BRIDGE_MAX_PAYLOAD];
    size_t payload_len;
    uint8_t frame[BRIDGE_MAX_FRAME];
    size_t frame_len;
};

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_hex(const char *text, uint8_t *out, size_t cap, size_t *len) {
    if (strcmp(text, "-") == 0) {
        *len = 0;
        return 0;
    }
    size_t n = strlen(text);
    if (n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

/* Reads all vectors; returns the count, or -1 on a malformed file. */
static int load_vectors(struct vector **out) {
    FILE *f = fopen(test_vectors_path, "r");
    if (f == NULL) {
        return -1;
    }
    static char line[2 * BRIDGE_MAX_FRAME + 2 * BRIDGE_MAX_PAYLOAD + 256];
    struct vector *vectors = NULL;
    int count = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        char name[64], type_hex[8], payload_hex[2 * BRIDGE_MAX_PAYLOAD + 2];
        static char frame_hex[2 * BRIDGE_MAX_FRAME + 2];
        unsigned seq;
        if (sscanf(line, "%63s %7s %u %16385s %16413s", name, type_hex, &seq, payload_hex,
                   frame_hex) != 5 ||
            seq > 0xFFFF || strlen(type_hex) != 2) {
            count = -1;
            break;
        }
        vectors = realloc(vectors, (size_t)(count + 1) * sizeof *vectors);
        if (vectors == NULL) {
            count = -1;
            break;
        }
        struct vector *v = &vectors[count];
        snprintf(v->name, sizeof v->name, "%s", name);
        v->type = (uint8_t)strtoul(type_hex, NULL, 16);
        v->seq = (uint16_t)seq;
        if (parse_hex(payload_hex, v->payload, sizeof v->payload, &v->payload_len) != 0 ||
            parse_hex(frame_hex, v->frame, sizeof v->frame, &v->frame_len) != 0) {
            count = -1;
            break;
        }
        count++;
    }
    fclose(f);
    if (count < 0) {
        free(vectors);
        vectors = NULL;
    }
    *out = vectors;
    return count;
}

struct decoded {
    int count;
    struct bridge_frame last;
    uint8_t payload[BRIDGE_MAX_PAYLOAD];
};

static void on_decoded(void *context, const struct bridge_frame *frame) {
    struct decoded *d = context;
    d->count++;
    d->last = *frame;
    memcpy(d->payload, frame->payload, frame->payload_len);
}

void test_vectors_encode_and_decode(void) {
    struct vector *vectors;
    int count = load_vectors(&vectors);
    REQUIRE(count > 0);
    static uint8_t frame[BRIDGE_MAX_FRAME];
    struct bridge_rx *rx = malloc(sizeof *rx);
    for (int i = 0; i < count; i++) {
        const struct vector *v = &vectors[i];
        size_t n = bridge_frame_encode(frame, sizeof frame, v->type, v->seq, v->payload,
                                       v->payload_len);
        CHECK_EQ_U(n, v->frame_len);
        CHECK(n == v->frame_len && memcmp(frame, v->frame, n) == 0);

        bridge_rx_init(rx);
        struct decoded d = {0};
        bridge_rx_feed(rx, v->frame, v->frame_len, on_decoded, &d);
        CHECK_EQ_U(d.count, 1);
        CHECK_EQ_U(d.last.type, v->type);
        CHECK_EQ_U(d.last.seq, v->seq);
        CHECK_EQ_U(d.last.payload_len, v->payload_len);
        CHECK(memcmp(d.payload, v->payload, v->payload_len) == 0);
        if (d.last.check != BRIDGE_PAYLOAD_OK) {
            test_report_failure(__FILE__, __LINE__, v->name);
        }
    }
    free(rx);
    free(vectors);
}

void test_vectors_cover_every_type(void) {
    struct vector *vectors;
    int count = load_vectors(&vectors);
    REQUIRE(count > 0);
    static const uint8_t types[] = {0x01, 0x02, 0x10, 0x11, 0x20, 0x40, 0x41,
                                    0x42, 0x43, 0xC0, 0xC1, 0xC2};
    for (size_t t = 0; t < sizeof types; t++) {
        bool found = false;
        for (int i = 0; i < count; i++) {
            found = found || vectors[i].type == types[t];
        }
        CHECK(found);
    }
    bool nonzero_status = false, multi_channel_audio = false, withheld = false, wrap = false;
    for (int i = 0; i < count; i++) {
        const struct vector *v = &vectors[i];
        if ((v->type & 0x80) && v->payload_len >= 3 && v->payload[2] != 0) nonzero_status = true;
        if (v->type == BRIDGE_TYPE_AUDIO && v->payload[4] > 1) multi_channel_audio = true;
        if (v->type == BRIDGE_TYPE_CALL_START && v->payload[10] == 0) withheld = true;
        if (v->seq == 65535) wrap = true;
    }
    CHECK(nonzero_status);
    CHECK(multi_channel_audio);
    CHECK(withheld);
    CHECK(wrap);
    free(vectors);
}

void test_encoder_rejects_oversized_payload(void) {
    static uint8_t payload[BRIDGE_MAX_PAYLOAD + 1];
    static uint8_t frame[BRIDGE_MAX_FRAME + 16];
    CHECK_EQ_U(bridge_frame_encode(frame, sizeof frame, 0x20, 0, payload, sizeof payload), 0);
    CHECK_EQ_U(bridge_frame_encode(frame, sizeof frame, 0x20, 0, payload, BRIDGE_MAX_PAYLOAD),
               BRIDGE_MAX_FRAME);
    CHECK_EQ_U(bridge_frame_encode(frame, 20, 0x20, 0, payload, 7), 0); /* 21 > cap 20 */
}
