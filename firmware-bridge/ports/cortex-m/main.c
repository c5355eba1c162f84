/*
 * main.c - the STM32F407 bridge: initialise the board and the app, then run the loop that
 * hal.h describes. Everything time-critical happens in DMA; the loop only has to keep up
 * with one 20 ms tick at a time.
 */
#include "board.h"
#include "hal.h"

static struct bridge bridge; /* ~63 KB, in .bss: no heap on the MCU */

int main(void) {
    board_init();
    static const struct bridge_config config = {
        .channel_count = BOARD_CHANNELS,
        .firmware_version = "1.0.0-stm32f407",
    };
    if (!bridge_init(&bridge, &board_port, &config)) {
        hal_assert_failed(__FILE__, __LINE__, "bridge_init");
    }
    for (;;) {
        board_service_host_rx(&bridge);
        board_service_card(&bridge);
        const uint8_t(*samples)[BRIDGE_SAMPLES_PER_TICK];
        bool ticked = board_take_tick(&samples);
        if (ticked) {
            bridge_audio_tick(&bridge, samples);
        }
        bridge_poll(&bridge);
        if (!ticked) {
            board_idle(); /* SysTick wakes us every millisecond at the latest */
        }
    }
}
