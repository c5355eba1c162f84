/*
 * bridge_verify.h - the two kinds of check used by the app logic (after TinyUSB).
 *
 * VERIFY(cond, err): cond is about input from outside (the host, the card, a caller's
 *   argument). When it is false, return err: the caller counts or reports it. Never a crash.
 * ASSERT(cond): cond can only be false through a bug in this firmware. In host and test
 *   builds it aborts with the location so the bug is found; on the MCU it calls
 *   hal_assert_failed() (hal.h), which the port turns into a report and a reset.
 */
#ifndef BRIDGE_VERIFY_H
#define BRIDGE_VERIFY_H

#define VERIFY(cond, err)    \
    do {                     \
        if (!(cond)) {       \
            return (err);    \
        }                    \
    } while (0)

#include "hal.h"

#define ASSERT(cond)                                          \
    do {                                                      \
        if (!(cond)) {                                        \
            hal_assert_failed(__FILE__, __LINE__, #cond);  \
        }                                                     \
    } while (0)

#endif /* BRIDGE_VERIFY_H */
