/*
 * fuzz_receiver.c - libFuzzer target for the receiver and the payload checks (`make fuzz`).
 * The input is fed in chunks whose sizes come from the input itself, so split frames,
 * resynchronisation and buffer compaction are all exercised. Every delivered frame must
 * have good CRCs when re-encoded, and the byte accounting invariant must hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_protocol.h"
#include "hal.h"

void hal_assert_failed(const char *file, int line, const char *expr) {
    fprintf(stderr, "ASSERT failed: %s:%d: %s\n", file, line, expr);
    abort();
}

static uint64_t delivered_bytes;

static void on_frame(void *context, const struct bridge_frame *frame) {
    (void)context;
    static uint8_t again[BRIDGE_MAX_FRAME];
    size_t n = bridge_frame_encode(again, sizeof again, frame->type, frame->seq, frame->payload,
                                   frame->payload_len);
    if (n != (size_t)frame->payload_len + BRIDGE_FRAME_OVERHEAD) {
        abort();
    }
    delivered_bytes += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static struct bridge_rx rx;
    bridge_rx_init(&rx);
    delivered_bytes = 0;
    size_t offset = 0;
    uint8_t chunk_seed = size > 0 ? data[0] : 1;
    while (offset < size) {
        size_t chunk = (size_t)(chunk_seed % 61u) + 1u;
        chunk_seed = (uint8_t)(chunk_seed * 29u + 7u);
        if (chunk > size - offset) {
            chunk = size - offset;
        }
        bridge_rx_feed(&rx, data + offset, chunk, on_frame, NULL);
        offset += chunk;
    }
    /* Invariant: every byte is in a delivered frame, a dropped-whole frame (duplicate or
     * unsupported version, whose sizes we do not track here, so only an upper bound), a
     * counted candidate start, skipped, or still buffered. */
    uint64_t lower = delivered_bytes + rx.bytes_skipped + rx.header_crc_errors + rx.too_long +
                     rx.frame_crc_errors + rx.stored;
    if (lower > size) {
        abort();
    }
    if (rx.duplicates == 0 && rx.unsupported_version == 0 && lower != size) {
        abort();
    }
    return 0;
}
