/*
 * fake_hal.c - see fake_hal.h.
 */
#include "fake_hal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal.h"

bool hal_link_is_open(void *port) {
    return ((struct fake_port *)port)->open;
}

size_t hal_link_tx_space(void *port) {
    return ((struct fake_port *)port)->space;
}

static void record_frame(void *context, const struct bridge_frame *frame) {
    struct fake_port *port = context;
    if (frame->check != BRIDGE_PAYLOAD_OK) {
        fprintf(stderr, "fake_hal: the app wrote a malformed frame of type 0x%02X\n", frame->type);
        abort();
    }
    if (port->frame_count == FAKE_MAX_FRAMES) {
        return;
    }
    struct fake_frame *f = &port->frames[port->frame_count++];
    f->type = frame->type;
    f->seq = frame->seq;
    f->payload_len = frame->payload_len;
    memcpy(f->payload, frame->payload, frame->payload_len);
}

void hal_link_write(void *port_ptr, const uint8_t *frame, size_t len) {
    struct fake_port *port = port_ptr;
    if (!port->open || len > port->space) {
        fprintf(stderr, "fake_hal: write of %zu bytes breaks the HAL contract\n", len);
        abort();
    }
    port->writes++;
    size_t before = port->frame_count;
    /* The app writes whole frames: each write must decode to exactly one well-formed frame.
     * The receiver's duplicate filter would hide resends, so it forgets the last SEQ. */
    port->rx.have_last = false;
    bridge_rx_feed(&port->rx, frame, len, record_frame, port);
    if (port->frame_count != before + 1 && port->frame_count < FAKE_MAX_FRAMES) {
        fprintf(stderr, "fake_hal: a write did not hold exactly one frame\n");
        abort();
    }
    if (port->frame_count <= FAKE_MAX_FRAMES && port->frame_count > before) {
        struct fake_frame *f = &port->frames[port->frame_count - 1];
        memcpy(f->raw, frame, len);
        f->raw_len = len;
    }
}

uint32_t hal_millis(void *port) {
    return ((struct fake_port *)port)->now_ms;
}

uint32_t hal_random_u32(void *port) {
    return ((struct fake_port *)port)->random_value;
}

void hal_assert_failed(const char *file, int line, const char *expr) {
    fprintf(stderr, "ASSERT failed: %s:%d: %s\n", file, line, expr);
    abort();
}

struct fake_port *fake_port_new(void) {
    struct fake_port *port = calloc(1, sizeof *port);
    if (port == NULL || (port->frames = calloc(FAKE_MAX_FRAMES, sizeof *port->frames)) == NULL) {
        abort();
    }
    port->open = true;
    port->space = 1u << 20;
    port->now_ms = 5000; /* not 0, so that "since boot" arithmetic is exercised */
    port->random_value = 0xC0FFEE01u;
    bridge_rx_init(&port->rx);
    return port;
}

void fake_port_free(struct fake_port *port) {
    free(port->frames);
    free(port);
}

void fake_port_clear(struct fake_port *port) {
    port->frame_count = 0;
}

size_t fake_count_type(const struct fake_port *port, uint8_t type,
                       const struct fake_frame **first) {
    size_t count = 0;
    if (first != NULL) {
        *first = NULL;
    }
    for (size_t i = 0; i < port->frame_count; i++) {
        if (port->frames[i].type == type) {
            if (count == 0 && first != NULL) {
                *first = &port->frames[i];
            }
            count++;
        }
    }
    return count;
}

struct bridge *fake_bridge_new(struct fake_port *port, uint8_t channels) {
    struct bridge *bridge = calloc(1, sizeof *bridge);
    struct bridge_config config = {.channel_count = channels, .firmware_version = "1.2.3-test"};
    if (bridge == NULL || !bridge_init(bridge, port, &config)) {
        abort();
    }
    bridge_poll(bridge); /* link is open: BOOT goes out */
    fake_port_clear(port);
    return bridge;
}

static uint16_t host_seq = 100;

uint16_t fake_send_command(struct bridge *bridge, uint8_t type, const uint8_t *payload,
                           size_t len) {
    uint8_t frame[BRIDGE_MAX_FRAME];
    uint16_t seq = host_seq++;
    size_t n = bridge_frame_encode(frame, sizeof frame, type, seq, payload, len);
    if (n == 0) {
        abort();
    }
    bridge_rx_bytes(bridge, frame, n);
    return seq;
}

void fake_ack(struct bridge *bridge, uint16_t seq) {
    uint8_t payload[2];
    bridge_put_u16(payload, seq);
    fake_send_command(bridge, BRIDGE_TYPE_ACK, payload, 2);
}

void fake_advance(struct bridge *bridge, struct fake_port *port, uint32_t ms) {
    for (uint32_t t = 0; t < ms; t += 10) {
        port->now_ms += 10;
        bridge_poll(bridge);
    }
}
