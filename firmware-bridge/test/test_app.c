/*
 * The app through the fake HAL: framing of ticks, heartbeats, commands and replies, reliable
 * signalling (PROTOCOL.md "Reliability of signalling").
 */
#include <stdlib.h>
#include <string.h>

#include "bridge_app.h"
#include "fake_hal.h"
#include "test.h"

void test_app_sends_boot_when_link_opens(void);
void test_app_silent_while_link_closed(void);
void test_app_audio_frames_active_channels(void);
void test_app_audio_over_48_channels_split(void);
void test_app_call_start_and_end_ticks(void);
void test_app_heartbeat_every_second_with_bitmap(void);
void test_app_hello_reply_and_resumed_calls(void);
void test_app_hello_unsupported_version(void);
void test_app_ping_echoes_nonce(void);
void test_app_get_status_reports_counters(void);
void test_app_bad_command_lengths_get_status_2(void);
void test_app_unknown_command_gets_status_1(void);
void test_app_resends_same_bytes_until_ack(void);
void test_app_gives_up_after_20_attempts(void);
void test_app_window_of_16_then_queue(void);
void test_app_no_attempts_counted_while_link_closed(void);
void test_app_back_pressure_drops_audio_keeps_signalling(void);
void test_app_call_api_verifies_input(void);

/* Per-channel sample pattern: channel c, sample i of tick t. */
static uint8_t pattern(uint32_t t, unsigned c, unsigned i) {
    return (uint8_t)(t * 3u + c * 11u + i);
}

static uint8_t (*make_samples(uint32_t tick))[BRIDGE_SAMPLES_PER_TICK] {
    static uint8_t samples[BRIDGE_MAX_CHANNELS][BRIDGE_SAMPLES_PER_TICK];
    for (unsigned c = 0; c < BRIDGE_MAX_CHANNELS; c++) {
        for (unsigned i = 0; i < BRIDGE_SAMPLES_PER_TICK; i++) {
            samples[c][i] = pattern(tick, c, i);
        }
    }
    return samples;
}

static void tick(struct bridge *b) {
    bridge_audio_tick(b, (const uint8_t(*)[BRIDGE_SAMPLES_PER_TICK])make_samples(b->tick));
}

static void start_call(struct bridge *b, uint8_t channel) {
    char agent[8];
    agent[0] = '2';
    agent[1] = (char)('0' + channel % 10);
    agent[2] = '\0';
    CHECK(bridge_call_start(b, channel, "0401234567", "0800123456", agent, NULL) == BRIDGE_OK);
}

/* Reply head of a recorded frame. */
static uint16_t reply_seq(const struct fake_frame *f) { return bridge_get_u16(f->payload); }
static uint8_t reply_status_of(const struct fake_frame *f) { return f->payload[2]; }

void test_app_sends_boot_when_link_opens(void) {
    struct fake_port *port = fake_port_new();
    port->open = false;
    struct bridge *b = calloc(1, sizeof *b);
    struct bridge_config config = {.channel_count = 12, .firmware_version = "1.2.3-test"};
    REQUIRE(bridge_init(b, port, &config));
    bridge_poll(b);
    CHECK_EQ_U(port->frame_count, 0);
    port->open = true;
    bridge_poll(b);
    const struct fake_frame *boot;
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_BOOT, &boot), 1);
    REQUIRE(boot != NULL);
    CHECK_EQ_U(bridge_get_u32(boot->payload), 0xC0FFEE01u);
    CHECK_EQ_U(boot->payload[4], 1);
    CHECK_EQ_U(boot->payload[5], 12);
    CHECK_EQ_U(boot->payload[6], 10);
    CHECK(memcmp(boot->payload + 7, "1.2.3-test", 10) == 0);
    /* closed and opened again: another BOOT */
    port->open = false;
    bridge_poll(b);
    port->open = true;
    bridge_poll(b);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_BOOT, NULL), 2);
    struct bridge_config bad = {.channel_count = 0, .firmware_version = "1"};
    CHECK(!bridge_init(b, port, &bad));
    bad.channel_count = 129;
    CHECK(!bridge_init(b, port, &bad));
    bad.channel_count = 1;
    bad.firmware_version = "1 0";
    CHECK(!bridge_init(b, port, &bad));
    free(b);
    fake_port_free(port);
}

void test_app_silent_while_link_closed(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 4);
    port->open = false;
    bridge_poll(b);
    start_call(b, 1);
    for (int i = 0; i < 100; i++) {
        tick(b);
        fake_advance(b, port, 20);
    }
    CHECK_EQ_U(port->frame_count, 0); /* the fake aborts on a write while closed anyway */
    CHECK_EQ_U(b->stats.audio_frames_lost, 100);
    CHECK(!bridge_signalling_idle(b)); /* the CALL_START waits */
    port->open = true;
    bridge_poll(b);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_BOOT, NULL), 1);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 1);
    free(b);
    fake_port_free(port);
}

void test_app_audio_frames_active_channels(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 30);
    tick(b); /* no call: no AUDIO */
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_AUDIO, NULL), 0);
    start_call(b, 3);
    start_call(b, 17);
    start_call(b, 29);
    fake_port_clear(port);
    uint32_t t = b->tick;
    tick(b);
    const struct fake_frame *audio;
    REQUIRE(fake_count_type(port, BRIDGE_TYPE_AUDIO, &audio) == 1);
    CHECK_EQ_U(bridge_get_u32(audio->payload), t);
    CHECK_EQ_U(audio->payload[4], 3);
    CHECK_EQ_U(audio->payload_len, 5 + 3 * 161);
    static const uint8_t channels[3] = {3, 17, 29};
    for (unsigned k = 0; k < 3; k++) {
        const uint8_t *entry = audio->payload + 5 + k * 161;
        CHECK_EQ_U(entry[0], channels[k]);
        bool same = true;
        for (unsigned i = 0; i < 160; i++) {
            same = same && entry[1 + i] == pattern(t, channels[k], i);
        }
        CHECK(same);
    }
    CHECK_EQ_U(b->tick, t + 1);
    free(b);
    fake_port_free(port);
}

void test_app_audio_over_48_channels_split(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 128);
    for (uint8_t c = 0; c < 100; c++) {
        start_call(b, c);
    }
    fake_port_clear(port);
    uint32_t t = b->tick;
    tick(b);
    REQUIRE(port->frame_count == 3);
    static const unsigned counts[3] = {48, 48, 4};
    unsigned next_channel = 0;
    for (unsigned k = 0; k < 3; k++) {
        const struct fake_frame *f = &port->frames[k];
        CHECK_EQ_U(f->type, BRIDGE_TYPE_AUDIO);
        CHECK_EQ_U(bridge_get_u32(f->payload), t); /* the same tick in every part */
        CHECK_EQ_U(f->payload[4], counts[k]);
        for (unsigned e = 0; e < f->payload[4]; e++) {
            CHECK_EQ_U(f->payload[5 + e * 161], next_channel);
            next_channel++;
        }
        CHECK(f->raw_len <= BRIDGE_MAX_FRAME);
        if (k > 0) {
            CHECK_EQ_U((uint16_t)(f->seq - port->frames[k - 1].seq), 1);
        }
    }
    CHECK_EQ_U(next_channel, 100);
    free(b);
    fake_port_free(port);
}

void test_app_call_start_and_end_ticks(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    tick(b);
    tick(b);
    uint32_t ref1 = 0, ref2 = 0, ended = 0;
    CHECK(bridge_call_start(b, 5, "", "+358800123", "1234", &ref1) == BRIDGE_OK);
    CHECK(ref1 != 0);
    const struct fake_frame *start;
    REQUIRE(fake_count_type(port, BRIDGE_TYPE_CALL_START, &start) == 1);
    CHECK_EQ_U(start->payload[0], 5);
    CHECK_EQ_U(bridge_get_u32(start->payload + 1), ref1);
    CHECK_EQ_U(bridge_get_u32(start->payload + 5), 2); /* tick of the start signal */
    CHECK_EQ_U(start->payload[9], 0);                  /* not RESUMED */
    CHECK_EQ_U(start->payload[10], 0);                 /* withheld caller */
    CHECK_EQ_U(start->payload[11], 10);
    CHECK(memcmp(start->payload + 12, "+358800123", 10) == 0);
    tick(b); /* tick 2 carries channel 5 */
    tick(b);
    CHECK(bridge_call_end(b, 5, BRIDGE_CAUSE_ABNORMAL, &ended) == BRIDGE_OK);
    CHECK_EQ_U(ended, ref1);
    const struct fake_frame *end;
    REQUIRE(fake_count_type(port, BRIDGE_TYPE_CALL_END, &end) == 1);
    CHECK_EQ_U(end->payload_len, 10);
    CHECK_EQ_U(bridge_get_u32(end->payload + 5), 4); /* last audio was tick 3 */
    CHECK_EQ_U(end->payload[9], BRIDGE_CAUSE_ABNORMAL);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_AUDIO, NULL), 2);
    /* the channel is free again, and the next call gets a new reference */
    CHECK(bridge_call_start(b, 5, "1", "2", "3", &ref2) == BRIDGE_OK);
    CHECK(ref2 != 0 && ref2 != ref1);
    free(b);
    fake_port_free(port);
}

void test_app_heartbeat_every_second_with_bitmap(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 20);
    start_call(b, 0);
    start_call(b, 9);
    start_call(b, 19);
    fake_port_clear(port);
    fake_advance(b, port, 990);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_HEARTBEAT, NULL), 0);
    fake_advance(b, port, 10);
    const struct fake_frame *hb;
    REQUIRE(fake_count_type(port, BRIDGE_TYPE_HEARTBEAT, &hb) == 1);
    CHECK_EQ_U(hb->payload_len, 9 + 3);
    CHECK_EQ_U(bridge_get_u32(hb->payload), 1000); /* uptime since init */
    CHECK_EQ_U(hb->payload[8], 20);
    CHECK_EQ_U(hb->payload[9], 0x01);  /* channel 0 */
    CHECK_EQ_U(hb->payload[10], 0x02); /* channel 9 */
    CHECK_EQ_U(hb->payload[11], 0x08); /* channel 19 */
    fake_advance(b, port, 4000);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_HEARTBEAT, NULL), 5);
    free(b);
    fake_port_free(port);
}

void test_app_hello_reply_and_resumed_calls(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    start_call(b, 2);
    start_call(b, 6);
    uint32_t ref2 = b->channels[2].call_ref;
    /* the host acknowledged both */
    fake_ack(b, port->frames[0].seq);
    fake_ack(b, port->frames[1].seq);
    CHECK(bridge_signalling_idle(b));
    tick(b);
    fake_port_clear(port);
    uint8_t version = 1;
    uint16_t seq = fake_send_command(b, BRIDGE_TYPE_HELLO, &version, 1);
    REQUIRE(port->frame_count == 3);
    const struct fake_frame *reply = &port->frames[0];
    CHECK_EQ_U(reply->type, 0xC0);
    CHECK_EQ_U(reply_seq(reply), seq);
    CHECK_EQ_U(reply_status_of(reply), 0);
    CHECK_EQ_U(bridge_get_u32(reply->payload + 3), 0xC0FFEE01u);
    CHECK_EQ_U(reply->payload[7], 1);
    CHECK_EQ_U(reply->payload[8], 8);
    CHECK_EQ_U(reply->payload[9], 10);
    for (unsigned k = 1; k < 3; k++) {
        const struct fake_frame *f = &port->frames[k];
        CHECK_EQ_U(f->type, BRIDGE_TYPE_CALL_START);
        CHECK_EQ_U(f->payload[9], BRIDGE_CALL_FLAG_RESUMED);
        CHECK_EQ_U(bridge_get_u32(f->payload + 5), 0); /* the original start tick */
    }
    CHECK_EQ_U(port->frames[1].payload[0], 2);
    CHECK_EQ_U(bridge_get_u32(port->frames[1].payload + 1), ref2);
    CHECK(!bridge_signalling_idle(b)); /* resumed starts are reliable too */
    CHECK_EQ_U(b->stats.hellos, 1);
    free(b);
    fake_port_free(port);
}

void test_app_hello_unsupported_version(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    uint8_t version = 2;
    uint16_t seq = fake_send_command(b, BRIDGE_TYPE_HELLO, &version, 1);
    REQUIRE(port->frame_count == 1);
    CHECK_EQ_U(port->frames[0].type, 0xC0);
    CHECK_EQ_U(port->frames[0].payload_len, 3);
    CHECK_EQ_U(reply_seq(&port->frames[0]), seq);
    CHECK_EQ_U(reply_status_of(&port->frames[0]), BRIDGE_STATUS_UNSUPPORTED_VERSION);
    free(b);
    fake_port_free(port);
}

void test_app_ping_echoes_nonce(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    uint8_t nonce[4] = {0xDE, 0xAD, 0xBE, 0xEF};
    uint16_t seq = fake_send_command(b, BRIDGE_TYPE_PING, nonce, 4);
    REQUIRE(port->frame_count == 1);
    CHECK_EQ_U(port->frames[0].type, 0xC1);
    CHECK_EQ_U(reply_seq(&port->frames[0]), seq);
    CHECK_EQ_U(port->frames[0].payload_len, 7);
    CHECK(memcmp(port->frames[0].payload + 3, nonce, 4) == 0);
    free(b);
    fake_port_free(port);
}

void test_app_get_status_reports_counters(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 9);
    start_call(b, 8);
    tick(b);
    uint8_t garbage[3] = {BRIDGE_SYNC_0, BRIDGE_SYNC_1, 0x77}; /* then a header CRC error */
    bridge_rx_bytes(b, garbage, 3);
    uint8_t junk[7] = {0};
    bridge_rx_bytes(b, junk, 7);
    fake_advance(b, port, 260); /* one resend of the CALL_START */
    fake_port_clear(port);
    fake_send_command(b, BRIDGE_TYPE_GET_STATUS, NULL, 0);
    REQUIRE(port->frame_count == 1);
    const uint8_t *p = port->frames[0].payload;
    CHECK_EQ_U(port->frames[0].type, 0xC2);
    CHECK_EQ_U(port->frames[0].payload_len, 3 + 4 + 4 + 1 + 2 + 24);
    CHECK_EQ_U(reply_status_of(&port->frames[0]), 0);
    CHECK_EQ_U(bridge_get_u32(p + 3), 260);    /* uptime */
    CHECK_EQ_U(bridge_get_u32(p + 7), 1);      /* tick */
    CHECK_EQ_U(p[11], 9);
    CHECK_EQ_U(p[12], 0x00);
    CHECK_EQ_U(p[13], 0x01);                   /* channel 8 */
    CHECK_EQ_U(bridge_get_u32(p + 14), 1);     /* rx_frames: this GET_STATUS */
    CHECK_EQ_U(bridge_get_u32(p + 18), 1);     /* rx_header_crc_errors */
    CHECK_EQ_U(bridge_get_u32(p + 22), 0);     /* rx_frame_crc_errors */
    CHECK_EQ_U(bridge_get_u32(p + 26), 4);     /* BOOT, CALL_START, AUDIO, resend */
    CHECK_EQ_U(bridge_get_u32(p + 30), 1);     /* tx_retransmits */
    CHECK_EQ_U(bridge_get_u32(p + 34), 0);     /* tx_dropped_events */
    free(b);
    fake_port_free(port);
}

void test_app_bad_command_lengths_get_status_2(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    static const struct { uint8_t type; size_t len; } cases[] = {
        {BRIDGE_TYPE_HELLO, 0}, {BRIDGE_TYPE_HELLO, 2}, {BRIDGE_TYPE_PING, 3},
        {BRIDGE_TYPE_PING, 5},  {BRIDGE_TYPE_GET_STATUS, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_port_clear(port);
        uint16_t seq = fake_send_command(b, cases[i].type, bytes, cases[i].len);
        REQUIRE(port->frame_count == 1);
        CHECK_EQ_U(port->frames[0].type, cases[i].type | 0x80);
        CHECK_EQ_U(port->frames[0].payload_len, 3);
        CHECK_EQ_U(reply_seq(&port->frames[0]), seq);
        CHECK_EQ_U(reply_status_of(&port->frames[0]), BRIDGE_STATUS_BAD_LENGTH);
    }
    /* ACK has no reply: a bad one is counted and changes nothing */
    start_call(b, 1);
    fake_port_clear(port);
    fake_send_command(b, BRIDGE_TYPE_ACK, bytes, 3);
    CHECK_EQ_U(port->frame_count, 0);
    CHECK(!bridge_signalling_idle(b));
    CHECK_EQ_U(b->rx.malformed_payload, 6);
    free(b);
    fake_port_free(port);
}

void test_app_unknown_command_gets_status_1(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    uint16_t seq = fake_send_command(b, 0x50, (const uint8_t *)"abc", 3);
    REQUIRE(port->frame_count == 1);
    CHECK_EQ_U(port->frames[0].type, 0xD0);
    CHECK_EQ_U(reply_seq(&port->frames[0]), seq);
    CHECK_EQ_U(reply_status_of(&port->frames[0]), BRIDGE_STATUS_UNKNOWN_COMMAND);
    /* a bridge-to-host type sent to the bridge is counted, not answered */
    fake_port_clear(port);
    fake_send_command(b, 0x30, NULL, 0);
    CHECK_EQ_U(port->frame_count, 0);
    CHECK_EQ_U(b->rx.unknown_type, 2);
    free(b);
    fake_port_free(port);
}

void test_app_resends_same_bytes_until_ack(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    start_call(b, 4);
    REQUIRE(port->frame_count == 1);
    uint8_t first[BRIDGE_SIGNAL_FRAME_MAX];
    size_t first_len = port->frames[0].raw_len;
    memcpy(first, port->frames[0].raw, first_len);
    uint16_t seq = port->frames[0].seq;
    tick(b); /* an AUDIO between: the resend must still repeat the old SEQ */
    fake_advance(b, port, 240);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 1);
    fake_advance(b, port, 10);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 2);
    fake_advance(b, port, 500);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 4);
    for (size_t i = 0; i < port->frame_count; i++) {
        if (port->frames[i].type == BRIDGE_TYPE_CALL_START) {
            CHECK(port->frames[i].raw_len == first_len &&
                  memcmp(port->frames[i].raw, first, first_len) == 0);
        }
    }
    CHECK_EQ_U(b->stats.tx_retransmits, 3);
    fake_ack(b, seq);
    CHECK(bridge_signalling_idle(b));
    fake_port_clear(port);
    fake_advance(b, port, 2000);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 0);
    /* an ACK for nothing is counted */
    fake_ack(b, seq);
    CHECK_EQ_U(b->stats.acks_unmatched, 1);
    free(b);
    fake_port_free(port);
}

void test_app_gives_up_after_20_attempts(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    start_call(b, 1);
    fake_advance(b, port, 20 * 250 + 100);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 20);
    CHECK_EQ_U(b->stats.tx_dropped_events, 1);
    CHECK(bridge_signalling_idle(b));
    fake_advance(b, port, 1000);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 20);
    free(b);
    fake_port_free(port);
}

void test_app_window_of_16_then_queue(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 32);
    for (uint8_t c = 0; c < 20; c++) {
        start_call(b, c);
    }
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 16);
    CHECK_EQ_U(b->event_count, 4);
    uint16_t first_seq = port->frames[0].seq;
    fake_ack(b, (uint16_t)(first_seq + 3));
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 17);
    const struct fake_frame *last = &port->frames[port->frame_count - 1];
    CHECK_EQ_U(last->payload[0], 16); /* in order */
    CHECK_EQ_U(last->seq, (uint16_t)(first_seq + 16)); /* SEQs stay consecutive */
    for (uint16_t s = 0; s < 17; s++) {
        fake_ack(b, (uint16_t)(first_seq + s));
    }
    for (uint16_t s = 17; s < 20; s++) {
        fake_ack(b, (uint16_t)(first_seq + s));
    }
    CHECK(bridge_signalling_idle(b));
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 20);
    free(b);
    fake_port_free(port);
}

void test_app_no_attempts_counted_while_link_closed(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    start_call(b, 1);
    uint16_t seq = port->frames[0].seq;
    port->open = false;
    fake_advance(b, port, 60000); /* a minute without the host */
    CHECK_EQ_U(b->stats.tx_dropped_events, 0);
    port->open = true;
    fake_advance(b, port, 10);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 2);
    CHECK_EQ_U(port->frames[port->frame_count - 1].seq, seq);
    free(b);
    fake_port_free(port);
}

void test_app_back_pressure_drops_audio_keeps_signalling(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 8);
    port->space = 100; /* room for a CALL_START (<= 123 bytes? not this one) but not AUDIO */
    start_call(b, 3);  /* 14 + 10 + 3 strings = 49 bytes: fits */
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_START, NULL), 1);
    tick(b);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_AUDIO, NULL), 0);
    CHECK_EQ_U(b->stats.audio_frames_lost, 1);
    port->space = 0;
    CHECK(bridge_call_end(b, 3, 0, NULL) == BRIDGE_OK);
    fake_advance(b, port, 50);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_END, NULL), 0);
    port->space = 1u << 20;
    fake_advance(b, port, 10);
    CHECK_EQ_U(fake_count_type(port, BRIDGE_TYPE_CALL_END, NULL), 1);
    /* no SEQ was spent on what could not be sent */
    CHECK_EQ_U((uint16_t)(port->frames[port->frame_count - 1].seq - port->frames[0].seq), 1);
    free(b);
    fake_port_free(port);
}

void test_app_call_api_verifies_input(void) {
    struct fake_port *port = fake_port_new();
    struct bridge *b = fake_bridge_new(port, 4);
    CHECK(bridge_call_start(b, 4, "1", "2", "3", NULL) == BRIDGE_E_CHANNEL);
    CHECK(bridge_call_start(b, 0, "12a", "2", "3", NULL) == BRIDGE_E_STRING);
    CHECK(bridge_call_start(b, 0, "1", "", "3", NULL) == BRIDGE_E_STRING);
    CHECK(bridge_call_start(b, 0, "1", "2", "", NULL) == BRIDGE_E_STRING);
    CHECK(bridge_call_start(b, 0, "123456789012345678901234567890123", "2", "3", NULL) ==
          BRIDGE_E_STRING);
    CHECK(bridge_call_end(b, 0, 0, NULL) == BRIDGE_E_STATE);
    CHECK(bridge_call_end(b, 9, 0, NULL) == BRIDGE_E_CHANNEL);
    CHECK_EQ_U(port->frame_count, 0); /* nothing was sent for refused input */
    CHECK(bridge_call_start(b, 0, "12345678901234567890123456789012", "2", "3", NULL) ==
          BRIDGE_OK);
    CHECK(bridge_call_start(b, 0, "1", "2", "3", NULL) == BRIDGE_E_STATE);
    CHECK(bridge_call_end(b, 0, 2, NULL) == BRIDGE_E_STATE);
    free(b);
    fake_port_free(port);
}
