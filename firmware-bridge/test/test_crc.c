/* CRC check values from the CRC catalogue (PROTOCOL.md "Frame"). */
#include <string.h>

#include "bridge_protocol.h"
#include "test.h"

void test_crc16_check_value(void);
void test_crc32_check_value(void);
void test_crc32_update_equals_whole(void);

static const uint8_t check_input[] = "123456789";

void test_crc16_check_value(void) {
    CHECK_EQ_U(bridge_crc16(check_input, 9), 0x29B1);
    CHECK_EQ_U(bridge_crc16(check_input, 0), 0xFFFF); /* init, no final XOR */
}

void test_crc32_check_value(void) {
    CHECK_EQ_U(bridge_crc32(check_input, 9), 0xCBF43926u);
    CHECK_EQ_U(bridge_crc32(check_input, 0), 0);
    /* A second known value: zlib's crc32(b"The quick brown fox jumps over the lazy dog"). */
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK_EQ_U(bridge_crc32((const uint8_t *)fox, strlen(fox)), 0x414FA339u);
}

void test_crc32_update_equals_whole(void) {
    uint8_t data[1000];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 31u + 7u);
    }
    uint32_t whole = bridge_crc32(data, sizeof data);
    for (size_t split = 0; split <= sizeof data; split += 97) {
        uint32_t part = bridge_crc32_update(bridge_crc32(data, split), data + split,
                                            sizeof data - split);
        CHECK_EQ_U(part, whole);
    }
}
