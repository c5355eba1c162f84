/*
 * hal.h - the hardware boundary of the bridge firmware.
 *
 * The app logic (src/) includes no MCU header. Everything it needs from the board is the
 * handful of functions below; each port (ports/host, ports/cortex-m, the fake in test/)
 * implements all of them. Every function takes the opaque `port` pointer that the port
 * passed to bridge_init(), so a port keeps its state in its own struct, not in globals.
 *
 * Concurrency contract (as in TinyUSB): interrupts only queue. A UART/USB/DMA/SPI interrupt
 * handler may copy bytes into a ring buffer, set a flag or push a card event into a queue;
 * it never calls into the app. The port's main loop does all the work, in this order:
 *
 *   for (;;) {
 *       feed received host bytes:      bridge_rx_bytes(&bridge, data, n);
 *       apply queued card events:      bridge_call_start(...) / bridge_call_end(...);
 *       when a 20 ms tick is complete: bridge_audio_tick(&bridge, samples);
 *       run the timers:                bridge_poll(&bridge);
 *   }
 *
 * so the app runs on one thread and needs no locks. The functions below are called only from
 * that loop, never from an interrupt.
 *
 * How the card reaches the app:
 *   - Signalling (a call starts with caller, called number and agent extension; a call ends)
 *     arrives at the port however the card delivers it (SPI messages after a GPIO interrupt
 *     on the box, a scenario file in the host build). The port queues it in the interrupt and
 *     calls bridge_call_start() / bridge_call_end() from the main loop.
 *   - Audio arrives as a PCM/TDM highway. The port collects 20 ms (160 samples) per channel
 *     into a planar buffer, samples[channel][0..159], and hands a complete buffer to
 *     bridge_audio_tick() once per tick. Signalling of a tick is applied before its audio.
 */
#ifndef BRIDGE_HAL_H
#define BRIDGE_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Link to the host (UART, USB CDC-ACM, or the pty of the host build) ---- */

/* True while the host has the link open (USB: the host set DTR / configured the CDC
 * interface; host build: a process has the pty slave open). While it is false the app sends
 * nothing: audio of that time is lost, as on a real wire, and signalling stays queued. */
bool hal_link_is_open(void *port);

/* Bytes the link can take right now without blocking (free space of the port's transmit
 * buffer). The app writes a frame only when the whole frame fits, so frames are never split
 * by back-pressure; an AUDIO frame that does not fit is dropped and counted, a signalling
 * frame waits for the next bridge_poll(). */
size_t hal_link_tx_space(void *port);

/* Queue one whole frame for transmission. Precondition: len <= hal_link_tx_space(port).
 * The port copies the bytes; the app may reuse its buffer at once. Exactly one call per
 * frame, so a port can count frames (and the host build can inject faults per frame). */
void hal_link_write(void *port, const uint8_t *frame, size_t len);

/* ---- Time and identity ---- */

/* Milliseconds since an arbitrary start, monotonic, wrapping at 2^32 (the app compares with
 * unsigned subtraction, so a wrap after 49 days is harmless). SysTick on the MCU. */
uint32_t hal_millis(void *port);

/* A random 32-bit value for the boot id, read once at bridge_init(). Must differ from boot to
 * boot (hardware RNG on the MCU); never 0 is not required. */
uint32_t hal_random_u32(void *port);

/* ---- Bugs ---- */

/* Called by ASSERT() when an internal invariant is broken (a bug, never bad input). Reports
 * file, line and expression where the port can, then stops: abort() on the host, a reset
 * on the MCU. Must not return. */
void hal_assert_failed(const char *file, int line, const char *expr) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_HAL_H */
