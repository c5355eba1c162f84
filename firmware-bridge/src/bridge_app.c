/*
 * bridge_app.c - the bridge application. See include/bridge_app.h for the design and
 * PROTOCOL.md for the wire contract. Portable: no MCU header, no malloc.
 */
#include "bridge_app.h"

#include <string.h>

#include "bridge_verify.h"
#include "hal.h"

/* ---- Sending ---- */

/* Frame the payload that was built at self->tx_frame + HEADER with a new SEQ and write it.
 * The caller has checked the room. Returns the frame length. */
static size_t send_new_frame(struct bridge *self, uint8_t type, size_t payload_len) {
    size_t len = bridge_frame_finish(self->tx_frame, type, self->tx_seq, payload_len);
    ASSERT(len != 0);
    self->tx_seq++;
    hal_link_write(self->port, self->tx_frame, len);
    self->stats.tx_frames++;
    self->stats.tx_bytes += (uint32_t)len;
    return len;
}

static bool link_has_room(struct bridge *self, size_t frame_len) {
    return self->link_open && hal_link_tx_space(self->port) >= frame_len;
}

static struct bridge_writer payload_writer(struct bridge *self) {
    struct bridge_writer w;
    bridge_writer_init(&w, self->tx_frame + BRIDGE_HEADER_SIZE, BRIDGE_MAX_PAYLOAD);
    return w;
}

void bridge_active_bitmap(const struct bridge *self, uint8_t out[BRIDGE_ACTIVE_BITMAP_MAX]) {
    memset(out, 0, BRIDGE_ACTIVE_BITMAP_MAX);
    for (unsigned c = 0; c < self->channel_count; c++) {
        if (self->channels[c].active) {
            out[c / 8u] |= (uint8_t)(1u << (c % 8u));
        }
    }
}

static uint32_t uptime_ms(struct bridge *self) {
    return hal_millis(self->port) - self->boot_ms;
}

/* Unreliable frames (BOOT, HEARTBEAT, replies): sent when there is room, else lost. Returns
 * whether it was sent. */
static bool send_unreliable(struct bridge *self, uint8_t type, const struct bridge_writer *w) {
    ASSERT(!w->overflow);
    if (!link_has_room(self, w->len + BRIDGE_FRAME_OVERHEAD)) {
        return false;
    }
    send_new_frame(self, type, w->len);
    return true;
}

static bool send_boot(struct bridge *self) {
    struct bridge_writer w = payload_writer(self);
    bridge_payload_boot(&w, self->boot_id, self->channel_count, self->firmware_version);
    return send_unreliable(self, BRIDGE_TYPE_BOOT, &w);
}

static bool send_heartbeat(struct bridge *self) {
    uint8_t active[BRIDGE_ACTIVE_BITMAP_MAX];
    bridge_active_bitmap(self, active);
    struct bridge_writer w = payload_writer(self);
    bridge_payload_heartbeat(&w, uptime_ms(self), self->tick, self->channel_count, active);
    return send_unreliable(self, BRIDGE_TYPE_HEARTBEAT, &w);
}

/* ---- Signalling queue and the unacknowledged window ---- */

static struct bridge_event *event_push(struct bridge *self) {
    if (self->event_count == BRIDGE_EVENT_QUEUE_LEN) {
        self->stats.tx_dropped_events++;
        return NULL;
    }
    uint16_t index = (uint16_t)((self->event_head + self->event_count) % BRIDGE_EVENT_QUEUE_LEN);
    self->event_count++;
    struct bridge_event *event = &self->events[index];
    memset(event, 0, sizeof *event);
    return event;
}

static bool queue_call_start(struct bridge *self, uint8_t channel, uint8_t flags) {
    struct bridge_event *event = event_push(self);
    if (event == NULL) {
        return false;
    }
    const struct bridge_channel *ch = &self->channels[channel];
    event->type = BRIDGE_TYPE_CALL_START;
    event->channel = channel;
    event->flags = flags;
    event->call_ref = ch->call_ref;
    event->tick = ch->start_tick;
    event->caller = ch->caller;
    event->called = ch->called;
    event->agent_extension = ch->agent_extension;
    return true;
}

static struct bridge_unacked *free_unacked_slot(struct bridge *self) {
    for (unsigned i = 0; i < BRIDGE_MAX_UNACKED; i++) {
        if (!self->unacked[i].in_use) {
            return &self->unacked[i];
        }
    }
    return NULL;
}

/* Build the frame of the oldest event in self->tx_frame; returns its length. */
static size_t frame_event(struct bridge *self, const struct bridge_event *event) {
    struct bridge_writer w = payload_writer(self);
    if (event->type == BRIDGE_TYPE_CALL_START) {
        bridge_payload_call_start(&w, event->channel, event->call_ref, event->tick, event->flags,
                                  event->caller.text, event->called.text,
                                  event->agent_extension.text);
    } else {
        bridge_payload_call_end(&w, event->channel, event->call_ref, event->tick, event->flags);
    }
    ASSERT(!w.overflow && w.len <= BRIDGE_CALL_START_MAX_PAYLOAD);
    return w.len;
}

/* Move queued events into free slots and send them, oldest first, while the link has room. */
static void send_queued_events(struct bridge *self) {
    while (self->event_count > 0) {
        struct bridge_unacked *slot = free_unacked_slot(self);
        if (slot == NULL) {
            return;
        }
        const struct bridge_event *event = &self->events[self->event_head];
        size_t payload_len = frame_event(self, event);
        if (!link_has_room(self, payload_len + BRIDGE_FRAME_OVERHEAD)) {
            return; /* stays queued, unframed: no SEQ is spent on a frame not sent */
        }
        slot->seq = self->tx_seq;
        size_t len = send_new_frame(self, event->type, payload_len);
        memcpy(slot->frame, self->tx_frame, len);
        slot->frame_len = (uint16_t)len;
        slot->in_use = true;
        slot->attempts = 1;
        slot->last_sent_ms = hal_millis(self->port);
        self->event_head = (uint16_t)((self->event_head + 1u) % BRIDGE_EVENT_QUEUE_LEN);
        self->event_count--;
    }
}

static void resend_due_frames(struct bridge *self) {
    uint32_t now = hal_millis(self->port);
    for (unsigned i = 0; i < BRIDGE_MAX_UNACKED; i++) {
        struct bridge_unacked *slot = &self->unacked[i];
        if (!slot->in_use || now - slot->last_sent_ms < BRIDGE_RESEND_INTERVAL_MS) {
            continue;
        }
        if (slot->attempts >= BRIDGE_RESEND_ATTEMPTS) {
            slot->in_use = false; /* the host never acknowledged: give up, count it */
            self->stats.tx_dropped_events++;
            continue;
        }
        if (!link_has_room(self, slot->frame_len)) {
            continue; /* link closed or full: not an attempt, try again next poll */
        }
        hal_link_write(self->port, slot->frame, slot->frame_len);
        slot->attempts++;
        slot->last_sent_ms = now;
        self->stats.tx_frames++;
        self->stats.tx_bytes += slot->frame_len;
        self->stats.tx_retransmits++;
    }
}

bool bridge_signalling_idle(const struct bridge *self) {
    if (self->event_count > 0) {
        return false;
    }
    for (unsigned i = 0; i < BRIDGE_MAX_UNACKED; i++) {
        if (self->unacked[i].in_use) {
            return false;
        }
    }
    return true;
}

/* ---- Host commands ---- */

static void reply_status(struct bridge *self, uint8_t command, uint16_t request_seq,
                         uint8_t status) {
    struct bridge_writer w = payload_writer(self);
    bridge_payload_reply_head(&w, request_seq, status);
    send_unreliable(self, (uint8_t)(command | BRIDGE_TYPE_REPLY_FLAG), &w);
}

static void handle_hello(struct bridge *self, const struct bridge_frame *frame) {
    self->stats.hellos++;
    if (frame->payload[0] != BRIDGE_PROTOCOL_VERSION) {
        reply_status(self, BRIDGE_TYPE_HELLO, frame->seq, BRIDGE_STATUS_UNSUPPORTED_VERSION);
        return;
    }
    struct bridge_writer w = payload_writer(self);
    bridge_payload_reply_head(&w, frame->seq, BRIDGE_STATUS_OK);
    bridge_writer_u32(&w, self->boot_id);
    bridge_writer_u8(&w, BRIDGE_PROTOCOL_VERSION);
    bridge_writer_u8(&w, self->channel_count);
    bridge_writer_str(&w, self->firmware_version);
    send_unreliable(self, BRIDGE_TYPE_HELLO | BRIDGE_TYPE_REPLY_FLAG, &w);

    /* The host may have restarted and lost every call: tell it again about those in progress.
     * It ignores repeats of calls it already knows. */
    for (uint8_t c = 0; c < self->channel_count; c++) {
        if (self->channels[c].active) {
            queue_call_start(self, c, BRIDGE_CALL_FLAG_RESUMED);
        }
    }
    /* Frames still waiting for an ACK go out at once instead of at their next interval. */
    uint32_t now = hal_millis(self->port);
    for (unsigned i = 0; i < BRIDGE_MAX_UNACKED; i++) {
        self->unacked[i].last_sent_ms = now - BRIDGE_RESEND_INTERVAL_MS;
    }
    send_queued_events(self);
}

static void handle_ping(struct bridge *self, const struct bridge_frame *frame) {
    struct bridge_writer w = payload_writer(self);
    bridge_payload_reply_head(&w, frame->seq, BRIDGE_STATUS_OK);
    bridge_writer_bytes(&w, frame->payload, 4); /* the nonce, echoed */
    send_unreliable(self, BRIDGE_TYPE_PING | BRIDGE_TYPE_REPLY_FLAG, &w);
}

static void handle_get_status(struct bridge *self, const struct bridge_frame *frame) {
    uint8_t active[BRIDGE_ACTIVE_BITMAP_MAX];
    bridge_active_bitmap(self, active);
    struct bridge_writer w = payload_writer(self);
    bridge_payload_reply_head(&w, frame->seq, BRIDGE_STATUS_OK);
    bridge_writer_u32(&w, uptime_ms(self));
    bridge_writer_u32(&w, self->tick);
    bridge_writer_u8(&w, self->channel_count);
    bridge_writer_bytes(&w, active, ((size_t)self->channel_count + 7u) / 8u);
    bridge_writer_u32(&w, self->rx.frames);
    bridge_writer_u32(&w, self->rx.header_crc_errors);
    bridge_writer_u32(&w, self->rx.frame_crc_errors);
    /* The reply itself is not counted in the tx_frames it reports. */
    bridge_writer_u32(&w, self->stats.tx_frames);
    bridge_writer_u32(&w, self->stats.tx_retransmits);
    bridge_writer_u32(&w, self->stats.tx_dropped_events);
    send_unreliable(self, BRIDGE_TYPE_GET_STATUS | BRIDGE_TYPE_REPLY_FLAG, &w);
}

static void handle_ack(struct bridge *self, const struct bridge_frame *frame) {
    uint16_t acked_seq = bridge_get_u16(frame->payload);
    for (unsigned i = 0; i < BRIDGE_MAX_UNACKED; i++) {
        struct bridge_unacked *slot = &self->unacked[i];
        if (slot->in_use && slot->seq == acked_seq) {
            slot->in_use = false;
            send_queued_events(self); /* a slot is free: the next event need not wait */
            return;
        }
    }
    self->stats.acks_unmatched++;
}

static void handle_frame(void *context, const struct bridge_frame *frame) {
    struct bridge *self = context;
    if (!BRIDGE_TYPE_IS_COMMAND(frame->type)) {
        return; /* bridge-to-host or reply types make no sense here; counted if unknown */
    }
    if (frame->check == BRIDGE_PAYLOAD_UNKNOWN_TYPE) {
        reply_status(self, frame->type, frame->seq, BRIDGE_STATUS_UNKNOWN_COMMAND);
        return;
    }
    if (frame->check == BRIDGE_PAYLOAD_MALFORMED) {
        /* Command payloads are fixed-size, so "does not parse" is a wrong length. ACK has no
         * reply in the protocol, so a bad ACK is only counted (malformed_payload). */
        if (frame->type != BRIDGE_TYPE_ACK) {
            reply_status(self, frame->type, frame->seq, BRIDGE_STATUS_BAD_LENGTH);
        }
        return;
    }
    switch (frame->type) {
    case BRIDGE_TYPE_HELLO: handle_hello(self, frame); break;
    case BRIDGE_TYPE_PING: handle_ping(self, frame); break;
    case BRIDGE_TYPE_GET_STATUS: handle_get_status(self, frame); break;
    case BRIDGE_TYPE_ACK: handle_ack(self, frame); break;
    default: ASSERT(false); /* bridge_payload_check knows exactly these four commands */
    }
}

/* ---- Link state ---- */

/* Follow hal_link_is_open(): a new link session gets a BOOT and a clean receiver. Returns
 * whether the link is open. */
static bool update_link_state(struct bridge *self) {
    bool open = hal_link_is_open(self->port);
    if (open != self->link_open) {
        self->link_open = open;
        /* A new link session starts clean: a partial command from the old one is garbage. */
        bridge_rx_reset(&self->rx);
        if (open) {
            self->stats.link_opens++;
            self->boot_pending = true;
            self->last_heartbeat_ms = hal_millis(self->port);
        }
    }
    if (open && self->boot_pending && send_boot(self)) {
        self->boot_pending = false;
    }
    return open;
}

/* ---- Public API ---- */

bool bridge_init(struct bridge *self, void *port, const struct bridge_config *config) {
    memset(self, 0, sizeof *self);
    VERIFY(config->channel_count >= 1 && config->channel_count <= BRIDGE_MAX_CHANNELS, false);
    VERIFY(bridge_version_string_is_valid(config->firmware_version), false);
    self->port = port;
    self->channel_count = config->channel_count;
    self->firmware_version = config->firmware_version;
    self->boot_id = hal_random_u32(port);
    self->boot_ms = hal_millis(port);
    self->last_heartbeat_ms = self->boot_ms;
    self->next_call_ref = 1;
    bridge_rx_init(&self->rx);
    return true;
}

void bridge_rx_bytes(struct bridge *self, const uint8_t *data, size_t len) {
    /* Bytes from the host prove the link is open: notice it (and send BOOT) before replying,
     * whatever order the port calls us in. */
    update_link_state(self);
    bridge_rx_feed(&self->rx, data, len, handle_frame, self);
}

enum bridge_error bridge_call_start(struct bridge *self, uint8_t channel, const char *caller,
                                    const char *called, const char *agent_extension,
                                    uint32_t *call_ref_out) {
    VERIFY(channel < self->channel_count, BRIDGE_E_CHANNEL);
    struct bridge_channel *ch = &self->channels[channel];
    VERIFY(!ch->active, BRIDGE_E_STATE);
    struct bridge_string caller_s, called_s, agent_s;
    VERIFY(bridge_string_set_number(&caller_s, caller, true), BRIDGE_E_STRING);
    VERIFY(bridge_string_set_number(&called_s, called, false), BRIDGE_E_STRING);
    VERIFY(bridge_string_set_number(&agent_s, agent_extension, false), BRIDGE_E_STRING);

    ch->active = true;
    ch->call_ref = self->next_call_ref;
    ch->start_tick = self->tick;
    ch->caller = caller_s;
    ch->called = called_s;
    ch->agent_extension = agent_s;
    self->next_call_ref++;
    if (self->next_call_ref == 0) {
        self->next_call_ref = 1; /* 0 is never a call_ref */
    }
    if (call_ref_out != NULL) {
        *call_ref_out = ch->call_ref;
    }
    if (!queue_call_start(self, channel, 0)) {
        return BRIDGE_E_QUEUE_FULL;
    }
    send_queued_events(self);
    return BRIDGE_OK;
}

enum bridge_error bridge_call_end(struct bridge *self, uint8_t channel, uint8_t cause,
                                  uint32_t *call_ref_out) {
    VERIFY(channel < self->channel_count, BRIDGE_E_CHANNEL);
    VERIFY(cause <= BRIDGE_CAUSE_ABNORMAL, BRIDGE_E_STATE);
    struct bridge_channel *ch = &self->channels[channel];
    VERIFY(ch->active, BRIDGE_E_STATE);
    ch->active = false;
    if (call_ref_out != NULL) {
        *call_ref_out = ch->call_ref;
    }
    struct bridge_event *event = event_push(self);
    if (event == NULL) {
        return BRIDGE_E_QUEUE_FULL;
    }
    event->type = BRIDGE_TYPE_CALL_END;
    event->channel = channel;
    event->flags = cause;
    event->call_ref = ch->call_ref;
    event->tick = self->tick;
    send_queued_events(self);
    return BRIDGE_OK;
}

void bridge_audio_tick(struct bridge *self, const uint8_t samples[][BRIDGE_SAMPLES_PER_TICK]) {
    /* Signalling first, so a CALL_START goes out before the first audio of its call when the
     * window has room. */
    send_queued_events(self);

    uint8_t count = 0;
    struct bridge_writer w;
    for (unsigned c = 0; c < self->channel_count; c++) {
        if (!self->channels[c].active) {
            continue;
        }
        if (count == 0) {
            w = payload_writer(self);
            bridge_payload_audio_begin(&w, self->tick);
        }
        bridge_payload_audio_add(&w, (uint8_t)c, samples[c]);
        count++;
        if (count == BRIDGE_AUDIO_CHANNELS_PER_FRAME) {
            bridge_payload_audio_end(&w, count);
            if (!send_unreliable(self, BRIDGE_TYPE_AUDIO, &w)) {
                self->stats.audio_frames_lost++;
            }
            count = 0;
        }
    }
    if (count > 0) {
        bridge_payload_audio_end(&w, count);
        if (!send_unreliable(self, BRIDGE_TYPE_AUDIO, &w)) {
            self->stats.audio_frames_lost++;
        }
    }
    self->tick++;
}

void bridge_poll(struct bridge *self) {
    if (!update_link_state(self)) {
        return;
    }
    resend_due_frames(self);
    send_queued_events(self);
    uint32_t now = hal_millis(self->port);
    if (now - self->last_heartbeat_ms >= BRIDGE_HEARTBEAT_INTERVAL_MS && send_heartbeat(self)) {
        self->last_heartbeat_ms = now;
    }
}
