/*
 * stm32f407_regs.h - the few STM32F407 registers this port uses, written from the reference
 * manual (RM0090 rev 19) because no vendor SDK is part of this build. Only what the port
 * touches is defined; offsets are in the comments so each can be checked against RM0090.
 */
#ifndef STM32F407_REGS_H
#define STM32F407_REGS_H

#include <stdint.h>

#define REG volatile uint32_t

struct rcc_regs {           /* RM0090 7.3, base 0x40023800 */
    REG CR;                 /* 0x00 */
    REG PLLCFGR;            /* 0x04 */
    REG CFGR;               /* 0x08 */
    REG CIR;                /* 0x0C */
    REG AHB1RSTR;           /* 0x10 */
    REG AHB2RSTR;           /* 0x14 */
    REG AHB3RSTR;           /* 0x18 */
    REG reserved0;          /* 0x1C */
    REG APB1RSTR;           /* 0x20 */
    REG APB2RSTR;           /* 0x24 */
    REG reserved1[2];       /* 0x28 */
    REG AHB1ENR;            /* 0x30 */
    REG AHB2ENR;            /* 0x34 */
    REG AHB3ENR;            /* 0x38 */
    REG reserved2;          /* 0x3C */
    REG APB1ENR;            /* 0x40 */
    REG APB2ENR;            /* 0x44 */
};

struct flash_regs {         /* RM0090 3.9, base 0x40023C00 */
    REG ACR;
};

struct gpio_regs {          /* RM0090 8.4, base 0x40020000 + 0x400 * port */
    REG MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR;
    REG AFR[2];
};

struct usart_regs {         /* RM0090 30.6 */
    REG SR, DR, BRR, CR1, CR2, CR3, GTPR;
};

struct spi_regs {           /* RM0090 28.5 */
    REG CR1, CR2, SR, DR, CRCPR, RXCRCR, TXCRCR, I2SCFGR, I2SPR;
};

struct dma_stream_regs {    /* RM0090 10.5, stream n at DMA base + 0x10 + 0x18 * n */
    REG CR, NDTR, PAR, M0AR, M1AR, FCR;
};

struct dma_regs {
    REG LISR, HISR, LIFCR, HIFCR;  /* 0x00..0x0C */
    struct dma_stream_regs S[8];
};

struct exti_regs {          /* RM0090 12.3, base 0x40013C00 */
    REG IMR, EMR, RTSR, FTSR, SWIER, PR;
};

struct syscfg_regs {        /* RM0090 9.2, base 0x40013800 */
    REG MEMRMP, PMC;
    REG EXTICR[4];
};

struct rng_regs {           /* RM0090 24.4, base 0x50060800 */
    REG CR, SR, DR;
};

struct systick_regs {       /* ARMv7-M ARM B3.3, base 0xE000E010 */
    REG CTRL, LOAD, VAL, CALIB;
};

#define RCC     ((struct rcc_regs *)0x40023800u)
#define FLASH   ((struct flash_regs *)0x40023C00u)
#define GPIOA   ((struct gpio_regs *)0x40020000u)
#define GPIOB   ((struct gpio_regs *)0x40020400u)
#define USART2  ((struct usart_regs *)0x40004400u)
#define SPI1    ((struct spi_regs *)0x40013000u)
#define SPI2    ((struct spi_regs *)0x40003800u)
#define DMA1    ((struct dma_regs *)0x40026000u)
#define EXTI    ((struct exti_regs *)0x40013C00u)
#define SYSCFG  ((struct syscfg_regs *)0x40013800u)
#define RNG     ((struct rng_regs *)0x50060800u)
#define SYSTICK ((struct systick_regs *)0xE000E010u)
#define NVIC_ISER ((REG *)0xE000E100u)   /* interrupt set-enable, 8 words */
#define SCB_AIRCR (*(REG *)0xE000ED0Cu)
#define SCB_CPACR (*(REG *)0xE000ED88u)

/* Bits used (names as in RM0090). */
#define RCC_CR_HSEON (1u << 16)
#define RCC_CR_HSERDY (1u << 17)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_SRC_HSE (1u << 22)
#define RCC_CFGR_SW_PLL 2u
#define RCC_CFGR_SWS_MASK (3u << 2)
#define RCC_CFGR_SWS_PLL (2u << 2)
#define RCC_CFGR_PPRE1_DIV4 (5u << 10)
#define RCC_CFGR_PPRE2_DIV2 (4u << 13)
#define RCC_AHB1ENR_GPIOAEN (1u << 0)
#define RCC_AHB1ENR_GPIOBEN (1u << 1)
#define RCC_AHB1ENR_DMA1EN (1u << 21)
#define RCC_AHB2ENR_RNGEN (1u << 6)
#define RCC_APB1ENR_SPI2EN (1u << 14)
#define RCC_APB1ENR_USART2EN (1u << 17)
#define RCC_APB2ENR_SPI1EN (1u << 12)
#define RCC_APB2ENR_SYSCFGEN (1u << 14)
#define FLASH_ACR_LATENCY_5WS 5u
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

#define USART_SR_RXNE (1u << 5)
#define USART_SR_ORE (1u << 3)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_UE (1u << 13)
#define USART_CR1_OVER8 (1u << 15)
#define USART_CR3_DMAT (1u << 7)

#define SPI_CR1_CPHA (1u << 0)
#define SPI_CR1_CPOL (1u << 1)
#define SPI_CR1_MSTR (1u << 2)
#define SPI_CR1_BR_DIV8 (2u << 3)
#define SPI_CR1_SPE (1u << 6)
#define SPI_CR1_SSI (1u << 8)
#define SPI_CR1_SSM (1u << 9)
#define SPI_CR1_RXONLY (1u << 10)
#define SPI_CR2_RXDMAEN (1u << 0)
#define SPI_SR_RXNE (1u << 0)
#define SPI_SR_TXE (1u << 1)
#define SPI_SR_BSY (1u << 7)

#define DMA_SCR_EN (1u << 0)
#define DMA_SCR_TCIE (1u << 4)
#define DMA_SCR_DIR_M2P (1u << 6)
#define DMA_SCR_CIRC (1u << 8)
#define DMA_SCR_MINC (1u << 10)
#define DMA_SCR_PL_HIGH (2u << 16)
#define DMA_SCR_PL_VERY_HIGH (3u << 16)
#define DMA_SCR_DBM (1u << 18)
#define DMA_SCR_CT (1u << 19)
#define DMA_SCR_CHSEL(n) ((uint32_t)(n) << 25)
/* Stream 3 flags in LISR/LIFCR, stream 6 flags in HISR/HIFCR (RM0090 10.5.1-10.5.4). */
#define DMA_S3_TCIF (1u << 27)
#define DMA_S3_ALL (0x3Du << 22)
#define DMA_S6_TCIF (1u << 21)
#define DMA_S6_ALL (0x3Du << 16)

#define RNG_CR_RNGEN (1u << 2)
#define RNG_SR_DRDY (1u << 0)
#define RNG_SR_CECS (1u << 1)
#define RNG_SR_SECS (1u << 2)

#define SYSTICK_CTRL_ENABLE (1u << 0)
#define SYSTICK_CTRL_TICKINT (1u << 1)
#define SYSTICK_CTRL_CLKSOURCE (1u << 2)

/* Interrupt numbers (RM0090 table 61). */
#define IRQ_EXTI0 6u
#define IRQ_EXTI1 7u
#define IRQ_DMA1_STREAM3 14u
#define IRQ_DMA1_STREAM6 17u
#define IRQ_USART2 38u

static inline void nvic_enable(uint32_t irq) {
    NVIC_ISER[irq / 32u] = 1u << (irq % 32u);
}

#endif /* STM32F407_REGS_H */
