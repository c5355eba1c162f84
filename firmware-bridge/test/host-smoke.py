#!/usr/bin/env python3
"""End-to-end smoke test of the host build (`make smoke`): play a scenario on the simulator's
pty and check, as the Tallennin service would, that frames decode, signalling is reliable
through injected faults and every call's audio arrives.

usage: host-smoke.py <tallennin-bridge-sim> <scratch dir>
Needs python3 only; the A-law fixture is a generated pattern (no espeak needed).
"""
import os, select, struct, subprocess, sys, termios, time, tty, zlib

def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc

def frame(ftype, seq, payload=b""):
    head = struct.pack("<BBBBHH", 0xA5, 0x5A, 1, ftype, seq, len(payload))
    head += struct.pack("<H", crc16(head))
    body = head + payload
    return body + struct.pack("<I", zlib.crc32(body))

class Receiver:
    """The receiver of PROTOCOL.md, written again independently of the C one."""
    def __init__(self):
        self.buf = b""
        self.header_crc_errors = self.frame_crc_errors = self.skipped = 0
    def feed(self, data):
        self.buf += data
        out = []
        while True:
            i = self.buf.find(b"\xa5\x5a")
            if i < 0:
                keep = 1 if self.buf.endswith(b"\xa5") else 0
                self.skipped += len(self.buf) - keep
                self.buf = self.buf[len(self.buf) - keep:]
                return out
            self.skipped += i
            self.buf = self.buf[i:]
            if len(self.buf) < 10:
                return out
            if crc16(self.buf[:8]) != struct.unpack("<H", self.buf[8:10])[0] or \
                    struct.unpack("<H", self.buf[6:8])[0] > 8192:
                self.header_crc_errors += 1
                self.buf = self.buf[1:]
                continue
            n = 14 + struct.unpack("<H", self.buf[6:8])[0]
            if len(self.buf) < n:
                return out
            if zlib.crc32(self.buf[:n - 4]) != struct.unpack("<I", self.buf[n - 4:n])[0]:
                self.frame_crc_errors += 1
                self.buf = self.buf[1:]
                continue
            out.append((self.buf[3], struct.unpack("<H", self.buf[4:6])[0], self.buf[10:n - 4]))
            self.buf = self.buf[n:]

def main():
    sim, scratch = sys.argv[1], sys.argv[2]
    os.makedirs(scratch, exist_ok=True)
    with open(os.path.join(scratch, "tone.alaw"), "wb") as f:
        f.write(bytes((i * 7) % 256 for i in range(8000)))  # 1 s
    scenario = os.path.join(scratch, "smoke.scn")
    with open(scenario, "w") as f:
        f.write("channels 4\n"
                "call 0 0 0401234567 0800123456 1001 tone.alaw\n"
                "call 100 1 - 0800123456 1002 tone.alaw 600\n"
                "call 40 3 0509999999 0800123456 1003 tone.alaw 400\n"
                "fault 200 garbage 300\nfault 300 badcrc 2\nfault 400 drop 3\nfault 500 dup 2\n"
                "end 1200\n")
    link = os.path.join(scratch, "bridge-link")
    proc = subprocess.Popen([sim, "--scenario", scenario, "--wait-hello", "--speed", "2",
                             "--boot-id", "0x1234", "--link", link],
                            stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline().split()
    assert first[0] == "PTY", first
    assert os.path.realpath(link) == first[1], "symlink does not point at the pty"
    fd = os.open(link, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    os.write(fd, frame(0x40, 0, b"\x01"))
    rx, seq, acks = Receiver(), 1, 0
    starts, ends, audio, types = {}, set(), {}, {}
    deadline = time.time() + 20
    while time.time() < deadline:
        r, _, _ = select.select([fd, proc.stdout], [], [], 0.5)
        if proc.stdout in r:
            line = proc.stdout.readline()
            if line.strip() == "DONE" or line == "":
                break
        if fd in r:
            for ftype, fseq, payload in rx.feed(os.read(fd, 65536)):
                types[ftype] = types.get(ftype, 0) + 1
                if ftype in (0x10, 0x11):
                    os.write(fd, frame(0x43, seq, struct.pack("<H", fseq)))
                    seq, acks = seq + 1, acks + 1
                    ch, ref = payload[0], struct.unpack("<I", payload[1:5])[0]
                    (starts.__setitem__(ch, ref) if ftype == 0x10 else ends.add((ch, ref)))
                elif ftype == 0x20:
                    count = payload[4]
                    for k in range(count):
                        ch = payload[5 + k * 161]
                        audio[ch] = audio.get(ch, 0) + 1
                elif ftype == 0xC0:
                    assert payload[2] == 0 and struct.unpack("<I", payload[3:7])[0] == 0x1234
    proc.wait(timeout=5)
    os.close(fd)
    print(f"smoke: frame types {sorted((hex(t), n) for t, n in types.items())}")
    print(f"smoke: audio ticks per channel {audio}, acks sent {acks}, "
          f"header_crc_errors {rx.header_crc_errors}, frame_crc_errors {rx.frame_crc_errors}, "
          f"bytes_skipped {rx.skipped}")
    ok = (proc.returncode == 0 and set(starts) == {0, 1, 3}
          and {c for c, _ in ends} == {0, 1, 3} and 0xC0 in types
          and rx.frame_crc_errors >= 2 and not os.path.exists(link)
          and audio.get(0, 0) >= 40 and audio.get(1, 0) >= 20 and audio.get(3, 0) >= 10)
    print("smoke: " + ("ok" if ok else "FAILED"))
    sys.exit(0 if ok else 1)

main()
