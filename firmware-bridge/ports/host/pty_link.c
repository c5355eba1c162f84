/*
 * pty_link.c - pseudo-terminal link of the host port. See pty_link.h.
 */
#define _GNU_SOURCE
#include "pty_link.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "bridge_protocol.h"

int pty_link_init(struct pty_link *link, const char *symlink_path) {
    memset(link, 0, sizeof *link);
    link->master_fd = -1;
    link->symlink_path = symlink_path;
    link->prng = 0x2545F491u; /* fixed seed: the garbage of a scenario is reproducible */
    link->ring = malloc(PTY_LINK_RING_BYTES);
    link->ring_limit = PTY_LINK_RING_BYTES;
    return link->ring != NULL ? 0 : -1;
}

void pty_link_free(struct pty_link *link) {
    pty_link_close(link);
    free(link->ring);
    link->ring = NULL;
}

static int update_symlink(struct pty_link *link, char *err, size_t err_len) {
    if (link->symlink_path == NULL) {
        return 0;
    }
    /* symlink to a temporary name, then rename over the old link: a reader of the path sees
     * the old pty or the new one, never nothing. */
    char temp[4096];
    if ((size_t)snprintf(temp, sizeof temp, "%s.tmp.%ld", link->symlink_path, (long)getpid()) >=
        sizeof temp) {
        snprintf(err, err_len, "--link path too long");
        return -1;
    }
    unlink(temp);
    if (symlink(link->slave_path, temp) != 0) {
        snprintf(err, err_len, "symlink %s: %s", temp, strerror(errno));
        return -1;
    }
    if (rename(temp, link->symlink_path) != 0) {
        snprintf(err, err_len, "rename %s -> %s: %s", temp, link->symlink_path, strerror(errno));
        unlink(temp);
        return -1;
    }
    return 0;
}

int pty_link_open(struct pty_link *link, char *err, size_t err_len) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, err_len, "posix_openpt: %s", strerror(errno));
        return -1;
    }
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, link->slave_path,
                                                          sizeof link->slave_path) != 0) {
        snprintf(err, err_len, "grantpt/unlockpt/ptsname: %s", strerror(errno));
        close(fd);
        return -1;
    }
    /* Raw, 8-bit clean, no echo: the line carries binary frames. termios set through the
     * master apply to the slave and survive the slave being closed and reopened. */
    struct termios tio;
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        tcsetattr(fd, TCSANOW, &tio);
    }
    /* Linux reports POLLHUP on the master only after the slave has been opened and closed
     * once; a fresh pty looks connected. Open and close it here so that "nobody has the
     * slave open" is visible from the start. */
    int slave = open(link->slave_path, O_RDWR | O_NOCTTY);
    if (slave >= 0) {
        close(slave);
    }
    link->master_fd = fd;
    link->peer_open = false;
    link->ring_head = 0;
    link->ring_len = 0;
    if (update_symlink(link, err, err_len) != 0) {
        pty_link_close(link);
        return -1;
    }
    return 0;
}

void pty_link_close(struct pty_link *link) {
    if (link->master_fd >= 0) {
        close(link->master_fd);
        link->master_fd = -1;
    }
    link->bytes_discarded += link->ring_len;
    link->ring_len = 0;
    link->ring_head = 0;
    link->peer_open = false;
}

void pty_link_unlink(struct pty_link *link) {
    if (link->symlink_path != NULL) {
        unlink(link->symlink_path);
    }
}

bool pty_link_check_peer(struct pty_link *link) {
    if (link->master_fd < 0) {
        link->peer_open = false;
        return false;
    }
    struct pollfd pfd = {.fd = link->master_fd, .events = POLLOUT};
    bool open_now = poll(&pfd, 1, 0) >= 0 && (pfd.revents & POLLHUP) == 0;
    if (link->peer_open && !open_now) {
        link->bytes_discarded += link->ring_len;
        link->ring_len = 0;
        link->ring_head = 0;
        tcflush(link->master_fd, TCIOFLUSH);
    }
    link->peer_open = open_now;
    return open_now;
}

void pty_link_set_tx_buffer(struct pty_link *link, size_t bytes) {
    link->ring_limit = bytes < PTY_LINK_RING_BYTES ? bytes : PTY_LINK_RING_BYTES;
}

static size_t ring_free(const struct pty_link *link) {
    return link->ring_len < link->ring_limit ? link->ring_limit - link->ring_len : 0;
}

static void ring_put(struct pty_link *link, const uint8_t *data, size_t len) {
    size_t tail = (link->ring_head + link->ring_len) % PTY_LINK_RING_BYTES;
    size_t first = PTY_LINK_RING_BYTES - tail;
    if (first > len) {
        first = len;
    }
    memcpy(link->ring + tail, data, first);
    memcpy(link->ring, data + first, len - first);
    link->ring_len += len;
}

size_t pty_link_tx_space(const struct pty_link *link) {
    if (link->master_fd < 0) {
        return 0;
    }
    size_t space = ring_free(link);
    return link->dup_frames > 0 ? space / 2 : space;
}

void pty_link_write_frame(struct pty_link *link, const uint8_t *frame, size_t len) {
    if (link->master_fd < 0 || len > ring_free(link)) {
        return; /* the app checked the space; reaching here means the link just vanished */
    }
    if (link->drop_frames > 0) {
        link->drop_frames--;
        link->frames_dropped++;
        return;
    }
    if (link->badcrc_frames > 0 && len > BRIDGE_FRAME_OVERHEAD) {
        static uint8_t corrupt[BRIDGE_MAX_FRAME];
        memcpy(corrupt, frame, len);
        /* Flip a payload byte in the middle: HCRC stays good, FCRC goes wrong. */
        size_t payload_len = len - BRIDGE_FRAME_OVERHEAD;
        corrupt[BRIDGE_HEADER_SIZE + payload_len / 2] ^= 0xFFu;
        link->badcrc_frames--;
        ring_put(link, corrupt, len);
    } else {
        ring_put(link, frame, len);
    }
    if (link->dup_frames > 0 && len <= ring_free(link)) {
        link->dup_frames--;
        size_t start = (link->ring_head + link->ring_len - len) % PTY_LINK_RING_BYTES;
        /* Repeat exactly what was just queued (a corrupted copy stays corrupted). */
        static uint8_t copy[BRIDGE_MAX_FRAME];
        for (size_t i = 0; i < len; i++) {
            copy[i] = link->ring[(start + i) % PTY_LINK_RING_BYTES];
        }
        ring_put(link, copy, len);
    }
}

size_t pty_link_write_garbage(struct pty_link *link, size_t count) {
    if (link->master_fd < 0) {
        return 0;
    }
    if (count > ring_free(link)) {
        count = ring_free(link);
    }
    uint8_t chunk[256];
    size_t done = 0;
    while (done < count) {
        size_t n = count - done < sizeof chunk ? count - done : sizeof chunk;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = link->prng;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            link->prng = x;
            chunk[i] = (uint8_t)(x >> 24);
        }
        ring_put(link, chunk, n);
        done += n;
    }
    return count;
}

int pty_link_flush(struct pty_link *link) {
    while (link->master_fd >= 0 && link->ring_len > 0) {
        size_t chunk = PTY_LINK_RING_BYTES - link->ring_head;
        if (chunk > link->ring_len) {
            chunk = link->ring_len;
        }
        ssize_t n = write(link->master_fd, link->ring + link->ring_head, chunk);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                return 0;
            }
            if (errno == EIO) {
                return 0; /* peer gone; pty_link_check_peer() will notice */
            }
            return -1;
        }
        link->ring_head = (link->ring_head + (size_t)n) % PTY_LINK_RING_BYTES;
        link->ring_len -= (size_t)n;
        link->bytes_to_pty += (uint64_t)n;
        if ((size_t)n < chunk) {
            return 0; /* the pty is full for now */
        }
    }
    return 0;
}

size_t pty_link_read(struct pty_link *link, uint8_t *buf, size_t cap) {
    if (link->master_fd < 0) {
        return 0;
    }
    ssize_t n = read(link->master_fd, buf, cap);
    return n > 0 ? (size_t)n : 0;
}
