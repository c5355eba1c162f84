/*
 * board.h - the STM32F407 port's own interface between its startup code, its interrupt
 * handlers and its main loop. The app never sees this header; it sees hal.h only.
 *
 * Board assumed (board-specific; check against the real schematic):
 *   - 8 MHz HSE crystal, core at 168 MHz.
 *   - Host link: USART2 (PA2 TX, PA3 RX) at 3 Mbaud to a USB-UART bridge (e.g. FT232H) whose
 *     DTR output is wired to PA8 (low = the host has the port open).
 *   - Telephony card audio: one E1-style PCM highway (2.048 MHz bit clock, 8 kHz frame sync,
 *     32 timeslots, channels in timeslots 1-15 and 17-31) into SPI2 as slave receiver
 *     (PB13 clock, PB15 data), frame sync on PB1.
 *   - Telephony card signalling: SPI1 master (PA5 SCK, PA6 MISO, PA7 MOSI, PA4 chip select);
 *     the card pulls PB0 low while it has a message.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "bridge_app.h"

#define BOARD_CHANNELS 30u            /* E1: 30 voice timeslots */
#define BOARD_TIMESLOTS 32u
#define BOARD_HIGHWAY_TICK_BYTES (BRIDGE_SAMPLES_PER_TICK * BOARD_TIMESLOTS) /* 5120 */
#define BOARD_TX_RING_BYTES 16384u    /* > 2 AUDIO frames of 30 channels (4.8 KB each) */
#define BOARD_RX_RING_BYTES 512u      /* host commands are a few bytes each */
#define BOARD_CARD_MESSAGE_BYTES 128u

void board_init(void);

/* Main-loop side, called by main.c in this order each iteration. */
void board_service_host_rx(struct bridge *bridge);
void board_service_card(struct bridge *bridge);
/* True when a 20 ms tick of audio is complete; *samples then points at the planar buffer. */
bool board_take_tick(const uint8_t (**samples)[BRIDGE_SAMPLES_PER_TICK]);
/* Sleep until the next interrupt when there is nothing to do. */
void board_idle(void);

/* The port object passed to bridge_init() as `port`. */
extern struct board_port board_port;

/* Interrupt handlers, referenced by the vector table in startup_stm32f407.c. */
void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void);
void USART2_IRQHandler(void);
void DMA1_Stream3_IRQHandler(void);
void DMA1_Stream6_IRQHandler(void);
void EXTI0_IRQHandler(void);
void EXTI1_IRQHandler(void);
int main(void);

#endif /* BOARD_H */
