/*
 * startup_stm32f407.c - vector table and reset handler: copy .data, clear .bss, enable the
 * FPU (the build uses -mfloat-abi=hard), call main().
 */
#include <stdint.h>

#include "board.h"
#include "stm32f407_regs.h"

/* Symbols from stm32f407.ld. */
extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

#define STM32F407_IRQ_COUNT 82u

void Default_Handler(void) {
    /* An interrupt nobody enabled, or a fault: stop here for the debugger; the independent
     * watchdog (when a product enables it) resets the board. */
    for (;;) {
    }
}

void Reset_Handler(void) {
    uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0;
    }
    SCB_CPACR |= (0xFu << 20); /* CP10, CP11 full access: the FPU */
    __asm__ volatile("dsb\n isb" ::: "memory");
    main();
    for (;;) {
    }
}

typedef void (*vector_fn)(void);

/* Ranges fill the defaults, then single entries override them: that is the point here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

__attribute__((section(".isr_vector"), used))
const vector_fn vector_table[16u + STM32F407_IRQ_COUNT] = {
    [0] = (vector_fn)(uintptr_t)&_estack,
    [1] = Reset_Handler,
    [2 ... 15] = Default_Handler,          /* NMI, faults, SVC, PendSV... */
    [7] = 0, [8] = 0, [9] = 0, [10] = 0, [13] = 0, /* reserved entries */
    [15] = SysTick_Handler,
    [16 ... 16u + STM32F407_IRQ_COUNT - 1u] = Default_Handler,
    [16u + IRQ_EXTI0] = EXTI0_IRQHandler,
    [16u + IRQ_EXTI1] = EXTI1_IRQHandler,
    [16u + IRQ_DMA1_STREAM3] = DMA1_Stream3_IRQHandler,
    [16u + IRQ_DMA1_STREAM6] = DMA1_Stream6_IRQHandler,
    [16u + IRQ_USART2] = USART2_IRQHandler,
};
#pragma GCC diagnostic pop
