/*
 * hal_stm32f407.c - hal.h on the STM32F407, plus the board's interrupt handlers.
 *
 * Interrupts only queue (hal.h): the USART receive interrupt puts bytes in a ring, the
 * highway DMA interrupt records which 20 ms buffer is complete, the card's GPIO interrupt
 * counts a pending message, the transmit DMA interrupt retires the bytes it sent. The main
 * loop (main.c) reads the card, de-interleaves audio and runs the app.
 */
#include <string.h>

#include "board.h"
#include "hal.h"
#include "stm32f407_regs.h"

#define CORE_HZ 168000000u
#define APB1_HZ 42000000u
#define HOST_BAUD 3000000u

/* All port state (the `port` of hal.h). Fields written by an interrupt are volatile. */
struct board_port {
    volatile uint32_t millis;            /* SysTick count */

    /* Host transmit ring: the main loop advances tx_head, the DMA interrupt tx_tail. Free-
     * running indexes; the position is index % BOARD_TX_RING_BYTES. */
    uint8_t tx_ring[BOARD_TX_RING_BYTES];
    volatile uint32_t tx_head;
    volatile uint32_t tx_tail;
    volatile uint32_t tx_dma_len;        /* bytes of the transfer in flight, 0 = idle */

    /* Host receive ring, filled by the USART interrupt. */
    uint8_t rx_ring[BOARD_RX_RING_BYTES];
    volatile uint32_t rx_head;
    uint32_t rx_tail;
    volatile uint32_t rx_overruns;       /* bytes lost: ring full or USART overrun */

    /* Highway: DMA double buffer, one 20 ms tick (160 frames x 32 timeslots) each. */
    uint8_t highway[2][BOARD_HIGHWAY_TICK_BYTES];
    volatile uint8_t highway_ready;      /* index of the last completed buffer */
    volatile uint32_t highway_ticks;     /* buffers completed */
    uint32_t highway_taken;              /* buffers the main loop consumed */
    uint32_t highway_overruns;           /* ticks the main loop was too late for */
    uint8_t planar[BOARD_CHANNELS][BRIDGE_SAMPLES_PER_TICK];

    /* Card signalling. */
    volatile uint32_t card_irqs;         /* messages announced by the card's interrupt */
    uint32_t card_read;                  /* messages read by the main loop */
    uint32_t card_bad_messages;          /* refused by the app or unparseable */
};

struct board_port board_port;

/* ---- Small helpers ---- */

static uint32_t irq_save(void) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

static void irq_restore(uint32_t primask) {
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

static void gpio_mode(struct gpio_regs *gpio, uint32_t pin, uint32_t mode, uint32_t af) {
    gpio->MODER = (gpio->MODER & ~(3u << (pin * 2u))) | (mode << (pin * 2u));
    gpio->OSPEEDR |= 3u << (pin * 2u); /* very high speed: 3 Mbaud and 10 MHz SPI edges */
    if (mode == 2u) {
        volatile uint32_t *afr = &gpio->AFR[pin / 8u];
        *afr = (*afr & ~(0xFu << ((pin % 8u) * 4u))) | (af << ((pin % 8u) * 4u));
    }
}

#define GPIO_INPUT 0u
#define GPIO_OUTPUT 1u
#define GPIO_AF 2u

/* ---- Clock: HSE 8 MHz -> PLL 168 MHz (M=8, N=336, P=2, Q=7), APB1 42 MHz, APB2 84 MHz ---- */

static void clock_init(void) {
    RCC->CR |= RCC_CR_HSEON;
    while ((RCC->CR & RCC_CR_HSERDY) == 0) {
    }
    RCC->PLLCFGR = 8u | (336u << 6) | (0u << 16) /* P=2 */ | RCC_PLLCFGR_SRC_HSE | (7u << 24);
    RCC->CR |= RCC_CR_PLLON;
    while ((RCC->CR & RCC_CR_PLLRDY) == 0) {
    }
    FLASH->ACR = FLASH_ACR_LATENCY_5WS | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
    RCC->CFGR = RCC_CFGR_PPRE1_DIV4 | RCC_CFGR_PPRE2_DIV2 | RCC_CFGR_SW_PLL;
    while ((RCC->CFGR & RCC_CFGR_SWS_MASK) != RCC_CFGR_SWS_PLL) {
    }
}

/* ---- Host link: USART2 + DMA1 stream 6 channel 4 for transmit ---- */

static void host_link_init(void) {
    gpio_mode(GPIOA, 2, GPIO_AF, 7);
    gpio_mode(GPIOA, 3, GPIO_AF, 7);
    gpio_mode(GPIOA, 8, GPIO_INPUT, 0); /* DTR from the USB-UART bridge, active low */
    GPIOA->PUPDR |= 1u << (8u * 2u);    /* pulled up: no bridge chip = link closed */
    /* OVER8: USARTDIV = 42 MHz / (8 * 3 Mbaud) = 1.75 -> mantissa 1, fraction 0.75 * 8 = 6 */
    USART2->BRR = (1u << 4) | 6u;
    USART2->CR3 = USART_CR3_DMAT;
    USART2->CR1 = USART_CR1_OVER8 | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE | USART_CR1_UE;
    DMA1->S[6].PAR = (uint32_t)(uintptr_t)&USART2->DR;
    nvic_enable(IRQ_USART2);
    nvic_enable(IRQ_DMA1_STREAM6);
}

/* Start a transfer of the next contiguous run of the ring, if idle. Called with interrupts
 * off (from the main loop) or from the DMA interrupt itself. */
static void host_tx_kick(struct board_port *p) {
    if (p->tx_dma_len != 0 || p->tx_head == p->tx_tail) {
        return;
    }
    uint32_t pos = p->tx_tail % BOARD_TX_RING_BYTES;
    uint32_t len = p->tx_head - p->tx_tail;
    if (len > BOARD_TX_RING_BYTES - pos) {
        len = BOARD_TX_RING_BYTES - pos;
    }
    p->tx_dma_len = len;
    DMA1->HIFCR = DMA_S6_ALL;
    DMA1->S[6].M0AR = (uint32_t)(uintptr_t)&p->tx_ring[pos];
    DMA1->S[6].NDTR = len;
    DMA1->S[6].CR = DMA_SCR_CHSEL(4) | DMA_SCR_MINC | DMA_SCR_DIR_M2P | DMA_SCR_PL_HIGH |
                    DMA_SCR_TCIE | DMA_SCR_EN;
}

void DMA1_Stream6_IRQHandler(void) {
    struct board_port *p = &board_port;
    if (DMA1->HISR & DMA_S6_TCIF) {
        DMA1->HIFCR = DMA_S6_ALL;
        p->tx_tail += p->tx_dma_len;
        p->tx_dma_len = 0;
        host_tx_kick(p);
    }
}

void USART2_IRQHandler(void) {
    struct board_port *p = &board_port;
    uint32_t sr = USART2->SR;
    if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
        uint8_t byte = (uint8_t)USART2->DR; /* reading DR also clears ORE */
        if (sr & USART_SR_ORE) {
            p->rx_overruns++;
        }
        if (p->rx_head - p->rx_tail < BOARD_RX_RING_BYTES) {
            p->rx_ring[p->rx_head % BOARD_RX_RING_BYTES] = byte;
            p->rx_head++;
        } else {
            p->rx_overruns++;
        }
    }
}

void board_service_host_rx(struct bridge *bridge) {
    struct board_port *p = &board_port;
    while (p->rx_tail != p->rx_head) {
        uint32_t pos = p->rx_tail % BOARD_RX_RING_BYTES;
        uint32_t len = p->rx_head - p->rx_tail;
        if (len > BOARD_RX_RING_BYTES - pos) {
            len = BOARD_RX_RING_BYTES - pos;
        }
        bridge_rx_bytes(bridge, &p->rx_ring[pos], len);
        p->rx_tail += len;
    }
}

/* ---- PCM highway: SPI2 slave receive-only + DMA1 stream 3 channel 0, double buffered ---- */

static void highway_init(void) {
    gpio_mode(GPIOB, 13, GPIO_AF, 5); /* bit clock */
    gpio_mode(GPIOB, 15, GPIO_AF, 5); /* data */
    gpio_mode(GPIOB, 1, GPIO_INPUT, 0); /* frame sync */
    /* Slave, 8-bit, MSB first, receive only; NSS in software (held selected) because the
     * highway has a frame-sync pulse, not a chip select. Data on the falling clock edge is
     * sampled on the rising one (CPOL 0, CPHA 0): board-specific, check the card's timing. */
    SPI2->CR1 = SPI_CR1_SSM | SPI_CR1_RXONLY;
    SPI2->CR2 = SPI_CR2_RXDMAEN;
    DMA1->S[3].PAR = (uint32_t)(uintptr_t)&SPI2->DR;
    DMA1->S[3].M0AR = (uint32_t)(uintptr_t)board_port.highway[0];
    DMA1->S[3].M1AR = (uint32_t)(uintptr_t)board_port.highway[1];
    DMA1->S[3].NDTR = BOARD_HIGHWAY_TICK_BYTES;
    DMA1->LIFCR = DMA_S3_ALL;
    DMA1->S[3].CR = DMA_SCR_CHSEL(0) | DMA_SCR_MINC | DMA_SCR_CIRC | DMA_SCR_DBM |
                    DMA_SCR_PL_VERY_HIGH | DMA_SCR_TCIE | DMA_SCR_EN;
    /* SPI2 is enabled at the first frame sync (EXTI1), so byte 0 of each buffer is
     * timeslot 0 of a frame; after that the byte count keeps the alignment. */
    SYSCFG->EXTICR[0] = (SYSCFG->EXTICR[0] & ~(0xFu << 4)) | (1u << 4); /* EXTI1 <- PB1 */
    EXTI->RTSR |= 1u << 1;
    EXTI->IMR |= 1u << 1;
    nvic_enable(IRQ_EXTI1);
    nvic_enable(IRQ_DMA1_STREAM3);
}

void EXTI1_IRQHandler(void) {
    EXTI->PR = 1u << 1;
    EXTI->IMR &= ~(1u << 1); /* aligned once; the DMA keeps counting whole frames */
    SPI2->CR1 |= SPI_CR1_SPE;
}

void DMA1_Stream3_IRQHandler(void) {
    struct board_port *p = &board_port;
    if (DMA1->LISR & DMA_S3_TCIF) {
        DMA1->LIFCR = DMA_S3_ALL;
        /* CT now names the buffer the DMA fills next; the other one is complete. */
        p->highway_ready = (uint8_t)((DMA1->S[3].CR & DMA_SCR_CT) ? 0u : 1u);
        p->highway_ticks++;
    }
}

/* Channel c of the bridge is E1 timeslot 1..15, 17..31 (0 is framing, 16 signalling). */
static uint32_t channel_timeslot(uint32_t channel) {
    return channel < 15u ? channel + 1u : channel + 2u;
}

bool board_take_tick(const uint8_t (**samples)[BRIDGE_SAMPLES_PER_TICK]) {
    struct board_port *p = &board_port;
    uint32_t ticks = p->highway_ticks;
    if (ticks == p->highway_taken) {
        return false;
    }
    if (ticks - p->highway_taken > 1u) {
        /* The main loop missed whole ticks: their audio is gone. The app's tick count then
         * runs behind the card's; counted so a soak test shows it. */
        p->highway_overruns += ticks - p->highway_taken - 1u;
    }
    p->highway_taken = ticks;
    /* The DMA refills this buffer in 20 ms; de-interleaving takes well under 1 ms. */
    const uint8_t *frame = p->highway[p->highway_ready];
    for (uint32_t i = 0; i < BRIDGE_SAMPLES_PER_TICK; i++, frame += BOARD_TIMESLOTS) {
        for (uint32_t c = 0; c < BOARD_CHANNELS; c++) {
            p->planar[c][i] = frame[channel_timeslot(c)];
        }
    }
    *samples = (const uint8_t(*)[BRIDGE_SAMPLES_PER_TICK])p->planar;
    return true;
}

/* ---- Card signalling: SPI1 master, message-pending line on PB0 (EXTI0) ----
 * Message layout (BOARD_CARD_MESSAGE_BYTES, board-specific: this is the interface we specify
 * for the card's controller; adapt to the real card's datasheet):
 *   u8 kind (0 none, 1 call start, 2 call end), u8 channel, u8 cause (end),
 *   then for a start three strings, each u8 length + 32 bytes: caller, called, agent.
 */

#define CARD_MSG_NONE 0u
#define CARD_MSG_START 1u
#define CARD_MSG_END 2u

static void card_init(void) {
    gpio_mode(GPIOA, 4, GPIO_OUTPUT, 0);
    GPIOA->BSRR = 1u << 4; /* chip select idle high */
    gpio_mode(GPIOA, 5, GPIO_AF, 5);
    gpio_mode(GPIOA, 6, GPIO_AF, 5);
    gpio_mode(GPIOA, 7, GPIO_AF, 5);
    gpio_mode(GPIOB, 0, GPIO_INPUT, 0);
    SPI1->CR1 = SPI_CR1_MSTR | SPI_CR1_BR_DIV8 /* 84 / 8 = 10.5 MHz */ | SPI_CR1_SSM |
                SPI_CR1_SSI | SPI_CR1_SPE;
    SYSCFG->EXTICR[0] = (SYSCFG->EXTICR[0] & ~0xFu) | 1u; /* EXTI0 <- PB0 */
    EXTI->FTSR |= 1u << 0;
    EXTI->IMR |= 1u << 0;
    nvic_enable(IRQ_EXTI0);
}

void EXTI0_IRQHandler(void) {
    EXTI->PR = 1u << 0;
    board_port.card_irqs++;
}

static void card_read_message(uint8_t *msg) {
    GPIOA->BSRR = 1u << (4u + 16u); /* select */
    for (uint32_t i = 0; i < BOARD_CARD_MESSAGE_BYTES; i++) {
        while ((SPI1->SR & SPI_SR_TXE) == 0) {
        }
        SPI1->DR = 0;
        while ((SPI1->SR & SPI_SR_RXNE) == 0) {
        }
        msg[i] = (uint8_t)SPI1->DR;
    }
    while (SPI1->SR & SPI_SR_BSY) {
    }
    GPIOA->BSRR = 1u << 4; /* deselect */
}

/* Copy a length-prefixed card string to a C string; false when the length is impossible. */
static bool card_string(const uint8_t *field, char out[BRIDGE_MAX_STRING + 1]) {
    if (field[0] > BRIDGE_MAX_STRING) {
        return false;
    }
    memcpy(out, field + 1, field[0]);
    out[field[0]] = '\0';
    return true;
}

void board_service_card(struct bridge *bridge) {
    struct board_port *p = &board_port;
    /* The line stays low while messages wait, so read until the card says "none" even if
     * edges were merged. */
    if (p->card_irqs == p->card_read && (GPIOB->IDR & 1u) != 0) {
        return;
    }
    p->card_read = p->card_irqs;
    for (int guard = 0; guard < 2 * (int)BOARD_CHANNELS; guard++) {
        uint8_t msg[BOARD_CARD_MESSAGE_BYTES];
        card_read_message(msg);
        if (msg[0] == CARD_MSG_NONE) {
            return;
        }
        enum bridge_error rc = BRIDGE_E_STATE;
        if (msg[0] == CARD_MSG_START) {
            char caller[BRIDGE_MAX_STRING + 1], called[BRIDGE_MAX_STRING + 1],
                agent[BRIDGE_MAX_STRING + 1];
            if (card_string(msg + 3, caller) && card_string(msg + 36, called) &&
                card_string(msg + 69, agent)) {
                rc = bridge_call_start(bridge, msg[1], caller, called, agent, NULL);
            }
        } else if (msg[0] == CARD_MSG_END) {
            rc = bridge_call_end(bridge, msg[1], msg[2], NULL);
        }
        if (rc != BRIDGE_OK) {
            p->card_bad_messages++;
        }
    }
}

/* ---- SysTick, RNG ---- */

void SysTick_Handler(void) {
    board_port.millis++;
}

void board_init(void) {
    clock_init();
    RCC->AHB1ENR |= RCC_AHB1ENR_GPIOAEN | RCC_AHB1ENR_GPIOBEN | RCC_AHB1ENR_DMA1EN;
    RCC->AHB2ENR |= RCC_AHB2ENR_RNGEN;
    RCC->APB1ENR |= RCC_APB1ENR_USART2EN | RCC_APB1ENR_SPI2EN;
    RCC->APB2ENR |= RCC_APB2ENR_SPI1EN | RCC_APB2ENR_SYSCFGEN;
    (void)RCC->APB2ENR; /* read back: the clock is on before the first register access */
    RNG->CR = RNG_CR_RNGEN;
    SYSTICK->LOAD = CORE_HZ / 1000u - 1u;
    SYSTICK->VAL = 0;
    SYSTICK->CTRL = SYSTICK_CTRL_CLKSOURCE | SYSTICK_CTRL_TICKINT | SYSTICK_CTRL_ENABLE;
    host_link_init();
    card_init();
    highway_init();
}

void board_idle(void) {
    __asm__ volatile("wfi");
}

/* ---- hal.h ---- */

bool hal_link_is_open(void *port) {
    (void)port;
    return (GPIOA->IDR & (1u << 8)) == 0;
}

size_t hal_link_tx_space(void *port) {
    struct board_port *p = port;
    return BOARD_TX_RING_BYTES - (p->tx_head - p->tx_tail);
}

void hal_link_write(void *port, const uint8_t *frame, size_t len) {
    struct board_port *p = port;
    uint32_t pos = p->tx_head % BOARD_TX_RING_BYTES;
    size_t first = BOARD_TX_RING_BYTES - pos;
    if (first > len) {
        first = len;
    }
    memcpy(&p->tx_ring[pos], frame, first);
    memcpy(&p->tx_ring[0], frame + first, len - first);
    __asm__ volatile("dmb" ::: "memory"); /* bytes in RAM before the DMA may see them */
    uint32_t primask = irq_save();
    p->tx_head += (uint32_t)len;
    host_tx_kick(p);
    irq_restore(primask);
}

uint32_t hal_millis(void *port) {
    (void)port;
    return board_port.millis;
}

uint32_t hal_random_u32(void *port) {
    (void)port;
    for (;;) {
        uint32_t sr = RNG->SR;
        if (sr & (RNG_SR_CECS | RNG_SR_SECS)) {
            /* RM0090 24.3.2: on a seed error, restart the generator and discard. */
            RNG->CR = 0;
            RNG->CR = RNG_CR_RNGEN;
            continue;
        }
        if (sr & RNG_SR_DRDY) {
            return RNG->DR;
        }
    }
}

void hal_assert_failed(const char *file, int line, const char *expr) {
    (void)file;
    (void)line;
    (void)expr;
    /* No console on this board: reset (SCB AIRCR SYSRESETREQ). A debugger sees the call. */
    __asm__ volatile("dsb" ::: "memory");
    SCB_AIRCR = (0x5FAu << 16) | (1u << 2);
    for (;;) {
    }
}
