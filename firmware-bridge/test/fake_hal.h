/*
 * fake_hal.h - hal.h for the unit tests: a link whose open state, free space and clock the
 * test sets, and which records every frame the app writes (decoded with the real receiver).
 */
#ifndef TALLENNIN_FAKE_HAL_H
#define TALLENNIN_FAKE_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bridge_app.h"

#define FAKE_MAX_FRAMES 512
#define FAKE_OUT_BYTES (1u << 20)

/* One frame the app wrote, decoded. */
struct fake_frame {
    uint8_t type;
    uint16_t seq;
    uint16_t payload_len;
    uint8_t payload[BRIDGE_MAX_PAYLOAD];
    uint8_t raw[BRIDGE_MAX_FRAME];  /* the bytes as written */
    size_t raw_len;
};

struct fake_port {
    bool open;                 /* hal_link_is_open */
    size_t space;              /* hal_link_tx_space */
    uint32_t now_ms;           /* hal_millis */
    uint32_t random_value;     /* hal_random_u32 */
    size_t writes;             /* hal_link_write calls */
    size_t frame_count;        /* frames decoded so far (capped at FAKE_MAX_FRAMES) */
    struct fake_frame *frames; /* FAKE_MAX_FRAMES, heap */
    struct bridge_rx rx;       /* decodes what the app writes, checks it is well-formed */
};

struct fake_port *fake_port_new(void);
void fake_port_free(struct fake_port *port);
/* Forget the frames recorded so far. */
void fake_port_clear(struct fake_port *port);
/* Frames of one type recorded so far; *out gets the first of them (may be NULL). */
size_t fake_count_type(const struct fake_port *port, uint8_t type, const struct fake_frame **first);

/* A bridge with `channels` channels on an open link with plenty of room, BOOT consumed. */
struct bridge *fake_bridge_new(struct fake_port *port, uint8_t channels);
/* Send a command frame to the bridge; returns the SEQ used. */
uint16_t fake_send_command(struct bridge *bridge, uint8_t type, const uint8_t *payload,
                           size_t len);
void fake_ack(struct bridge *bridge, uint16_t seq);
/* Advance the clock by ms in steps of 10 ms, calling bridge_poll at each step. */
void fake_advance(struct bridge *bridge, struct fake_port *port, uint32_t ms);

#endif
