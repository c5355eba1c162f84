/**
 * Cuts the byte stream of a serial line into OSDP packets, resynchronising at once after
 * anything wrong: bytes before a SOM are skipped, and after a packet whose header or check fails
 * the scan goes on from the byte after its SOM (never past its claimed length, so a corrupt
 * length byte cannot swallow the good packets behind it). Nothing is buffered past the largest
 * packet, so a stream of noise costs constant memory.
 */
import { HEADER_LENGTH, MAX_PACKET_LENGTH, OSDP_SOM, parsePacket, type OsdpPacket } from './packet-codec.js';

/** What the reader refused, for the health counters. */
export interface PacketReaderFaults {
  /** Bytes skipped outside any packet (noise, the mark byte excepted, and the heads of refused packets). */
  garbageBytes: number;
  /** Packets whose CRC-16 or checksum did not match. */
  checkErrors: number;
  /** Packets with an impossible length or layout. */
  formatErrors: number;
}

const MARK = 0xff;

export class PacketReader {
  private buffer: Buffer = Buffer.alloc(0);
  readonly faults: PacketReaderFaults = { garbageBytes: 0, checkErrors: 0, formatErrors: 0 };

  /** Takes the next bytes of the stream; returns the whole packets they complete, in order. */
  push(chunk: Buffer): OsdpPacket[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const packets: OsdpPacket[] = [];
    for (;;) {
      this.skipToSom();
      if (this.buffer.length < HEADER_LENGTH) break;
      const length = this.buffer.readUInt16LE(2);
      if (length < HEADER_LENGTH + 2 || length > MAX_PACKET_LENGTH) {
        this.refuse('format');
        continue;
      }
      if (this.buffer.length < length) break;
      const parsed = parsePacket(this.buffer.subarray(0, length));
      if (!parsed.ok) {
        this.refuse(parsed.fault);
        continue;
      }
      packets.push(parsed.packet);
      this.buffer = this.buffer.subarray(length);
    }
    return packets;
  }

  /**
   * Drops what is buffered (half duplex: before a new command, anything left over is stale);
   * returns how many bytes went, already counted as garbage.
   */
  clear(): number {
    const dropped = this.countable(this.buffer);
    this.faults.garbageBytes += dropped;
    this.buffer = Buffer.alloc(0);
    return dropped;
  }

  private skipToSom(): void {
    const som = this.buffer.indexOf(OSDP_SOM);
    const skipped = som === -1 ? this.buffer : this.buffer.subarray(0, som);
    this.faults.garbageBytes += this.countable(skipped);
    this.buffer = som === -1 ? Buffer.alloc(0) : this.buffer.subarray(som);
  }

  /** The packet at the head is refused: count it, then scan again from the byte after its SOM. */
  private refuse(fault: 'check' | 'format'): void {
    if (fault === 'check') this.faults.checkErrors++;
    else this.faults.formatErrors++;
    this.faults.garbageBytes++;
    this.buffer = this.buffer.subarray(1);
  }

  /** The mark byte before a SOM is part of the protocol, not noise. */
  private countable(bytes: Buffer): number {
    let count = 0;
    for (const byte of bytes) if (byte !== MARK) count++;
    return count;
  }
}
