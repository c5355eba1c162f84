/*
 * pty_link.h - the host port's "serial line": a pseudo-terminal whose master end this
 * process holds, with a transmit ring that gives the app back-pressure, per-frame fault
 * injection and a stable symlink to the slave.
 *
 * The slave (/dev/pts/N) is what the Tallennin service opens, exactly as it opens the
 * CDC-ACM device of the real bridge. Whether somebody has the slave open is read from the
 * master with poll(): POLLHUP while no process has it open.
 */
#ifndef TALLENNIN_PTY_LINK_H
#define TALLENNIN_PTY_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTY_LINK_RING_BYTES (512u * 1024u)

struct pty_link {
    int master_fd;                 /* -1 while disconnected (fault injection) */
    char slave_path[64];
    const char *symlink_path;      /* --link, or NULL */
    bool peer_open;                /* somebody has the slave open (last poll) */

    uint8_t *ring;                 /* transmit ring, PTY_LINK_RING_BYTES */
    size_t ring_limit;             /* bytes the ring may hold (--tx-buffer; a real bridge has a few frames) */
    size_t ring_head;              /* index of the oldest byte */
    size_t ring_len;               /* bytes waiting */

    /* Faults armed by the scenario, applied to the next frames written. */
    uint32_t drop_frames;
    uint32_t badcrc_frames;
    uint32_t dup_frames;
    uint32_t prng;                 /* xorshift32 state for garbage bytes */

    /* Totals. */
    uint64_t bytes_to_pty;         /* bytes the pty accepted */
    uint64_t bytes_discarded;      /* queued bytes thrown away because the peer went away */
    uint64_t frames_dropped;       /* by the drop fault */
};

/* Allocate the ring. Returns 0, or -1 (out of memory). */
int pty_link_init(struct pty_link *link, const char *symlink_path);
void pty_link_free(struct pty_link *link);
/* Limit the bytes queued to `bytes` (1..PTY_LINK_RING_BYTES): a bridge with a small transmit
 * buffer drops whole frames when the host does not read (--tx-buffer). */
void pty_link_set_tx_buffer(struct pty_link *link, size_t bytes);

/* Create a new pty (posix_openpt, grantpt, unlockpt, raw mode) and point the symlink at it.
 * Returns 0, or -1 with a message in err. */
int pty_link_open(struct pty_link *link, char *err, size_t err_len);
/* Close the master: the peer sees the port vanish. The queued bytes are discarded. */
void pty_link_close(struct pty_link *link);
/* Remove the symlink (at exit). */
void pty_link_unlink(struct pty_link *link);

/* Re-read whether the peer has the slave open. On a close, the queued bytes are discarded
 * (nobody will read them) and the pty's buffers are flushed, so the next peer starts on a
 * frame boundary. Returns peer_open. */
bool pty_link_check_peer(struct pty_link *link);

/* Free room for app frames (reserves room for a duplicate while the dup fault is armed). */
size_t pty_link_tx_space(const struct pty_link *link);
/* One frame from the app, with any armed fault applied. */
void pty_link_write_frame(struct pty_link *link, const uint8_t *frame, size_t len);
/* Queue count deterministic pseudo-random bytes (garbage fault). Returns bytes queued. */
size_t pty_link_write_garbage(struct pty_link *link, size_t count);

/* Write as much of the ring to the pty as it takes now (non-blocking). Returns 0, or -1 on
 * an I/O error other than "would block". */
int pty_link_flush(struct pty_link *link);
/* Read what the peer sent (non-blocking). Returns bytes read, 0 when none. */
size_t pty_link_read(struct pty_link *link, uint8_t *buf, size_t cap);

#endif /* TALLENNIN_PTY_LINK_H */
